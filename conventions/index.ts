/**
 * `tokenledger/conventions`: the names tokenledger writes (attributes, their values, events, metrics) and the
 * token-type table, all generated from conventions/registry.yaml.
 * @module tokenledger/conventions
 */
export * from './attributes.ts';
export * from './token-types.ts';
