/** A validation issue's path as a JSON path: `["steps", 1, "startedAt"]` is `$.steps[1].startedAt`. */
export const jsonPath = (path: readonly PropertyKey[]): string =>
  `$${path.map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`)).join("")}`;
