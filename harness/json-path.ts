import type { z } from "zod";

/** A validation issue's path as a JSON path: `["steps", 1, "startedAt"]` is `$.steps[1].startedAt`. */
export const jsonPath = (path: readonly PropertyKey[]): string =>
  `$${path.map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`)).join("")}`;

/** The first few zod issues, each as `$.json.path: message` (under `at`). */
export function describeIssues(error: z.ZodError, at: readonly PropertyKey[] = []): string {
  const shown = error.issues.slice(0, 5).map((issue) => `${jsonPath([...at, ...issue.path])}: ${issue.message}`);
  const more = error.issues.length - shown.length;
  return `${shown.join("; ")}${more > 0 ? `; and ${more} more` : ""}`;
}
