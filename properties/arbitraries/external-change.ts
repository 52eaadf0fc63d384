import fc from "fast-check";
import type { ExternalChange } from "../../harness/schedule/schema.js";
import { acpBinding, fields, sessionKey } from "./values.js";

/** What an outside process changes: add or change an entry, remove one, bind ACP. */
export const externalChanges = (): fc.Arbitrary<ExternalChange[]> =>
  fc.array(
    fc.oneof(
      { weight: 4, arbitrary: fc.record({ kind: fc.constant("set" as const), key: sessionKey(), set: fields() }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("remove" as const), key: sessionKey() }) },
      {
        weight: 2,
        arbitrary: fc.record({ kind: fc.constant("bind-acp" as const), key: sessionKey(), acp: acpBinding() }),
      },
    ),
    { minLength: 1, maxLength: 2 },
  );
