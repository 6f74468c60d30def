// This module's own namespace, imported by its own URL: the loader hook never wraps a module's import of itself,
// so the importer can compare it with what it received (see loader-scope.mjs).
export const ownNamespace = () => import(import.meta.url);
