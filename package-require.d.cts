/** `require` resolving from tokenledger's own files (see package-require.cjs). */
export declare const packageRequire: NodeJS.Require;
