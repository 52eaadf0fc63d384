// Deliberately broken: a writer trusts its cache without looking at the file, so a change made
// by another process is overwritten (openclaw#10331's bug). `no-lost-update` must catch it.
// It is store.js with `?trustCache` on its URL: another instance of the module, with its own cache.
export * from "./store.js?trustCache";
