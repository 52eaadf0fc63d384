/**
 * The class a package exports as its default, from an ES module (`export default`) or CommonJS
 * (`module.exports = Class`, or `exports.default = Class` from TypeScript's output, which an
 * import sees as `{ default: { default: Class } }`).
 */
export function defaultClass(loaded: Record<string, unknown>, what: string): new (...args: any[]) => any {
  const first = loaded.default as { default?: unknown } | undefined;
  const found = typeof first === "function" ? first : first?.default;
  if (typeof found !== "function") throw new Error(`${what}: the package exports no class as its default`);
  return found as new (
    ...args: any[]
  ) => any;
}
