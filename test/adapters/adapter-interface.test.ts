import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { PACKAGE_ADAPTERS, STORE_RESOLVERS } from "../../adapters/registry.js";
import { projectRoot } from "../../harness/paths.js";

const doc = readFileSync(join(projectRoot, "docs", "adapters.md"), "utf8");

/** The field names of an exported object type alias, read from the source. */
function fieldsOf(file: string, typeName: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(join(projectRoot, file), "utf8"), ts.ScriptTarget.Latest, true);
  const alias = source.statements.find(
    (s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === typeName,
  );
  if (!alias || !ts.isTypeLiteralNode(alias.type)) throw new Error(`${file} has no object type ${typeName}`);
  return alias.type.members.map((member) => (member.name as ts.Identifier).text);
}

/** The first-column names of the table under the doc's `## \`<typeName>\`` heading. */
function documentedFields(typeName: string): string[] {
  const section = doc.split(/^## /m).find((part) => part.startsWith(`\`${typeName}\``));
  if (!section) throw new Error(`docs/adapters.md has no section for ${typeName}`);
  return [...section.matchAll(/^\| `([A-Za-z]+)` \|/gm)].map((match) => match[1]!);
}

describe("docs/adapters.md is the adapter interface", () => {
  it.each([
    ["adapters/adapter.ts", "PackageAdapter"],
    ["adapters/adapter.ts", "PackageCapabilities"],
    ["adapters/npm-package/store-file.ts", "StoreFile"],
  ])("%s %s: the doc's table lists exactly its fields", (file, typeName) => {
    expect(documentedFields(typeName).sort()).toEqual(fieldsOf(file, typeName).sort());
  });

  it("every registered package is in the doc's table, with its adapter folder and runtime", () => {
    for (const adapter of PACKAGE_ADAPTERS) {
      expect(doc).toContain(`| \`${adapter.name}\` | \`adapters/${adapter.name}/\` | ${adapter.oldestSupported} |`);
      expect(existsSync(join(projectRoot, "adapters", adapter.runtime.replace(/\.js$/, ".ts"))), adapter.runtime).toBe(
        true,
      );
      expect(STORE_RESOLVERS.has(adapter.name)).toBe(true);
    }
  });
});
