// Keeps package.json's `contributes` in step with common/commands.ts: commands, menus and palette `when`s, welcome-view links, views, context keys, settings, and every `viewItem` pattern against the context values the tree items get.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AUTH_CONTEXTS } from '../account/accountModel';
import { allContextValues, Commands, ContextKeys, PALETTE_HIDDEN, Settings, Views } from './commands';

interface MenuEntry {
  command: string;
  when?: string;
  group?: string;
}

interface Contributes {
  commands: { command: string; title: string }[];
  menus: Record<string, MenuEntry[]>;
  keybindings?: { command: string; when?: string }[];
  views: Record<string, { id: string }[]>;
  viewsWelcome: { view: string; contents: string; when?: string }[];
  configuration: { properties: Record<string, unknown> };
}

// The bundled test runs from out/test/common; package.json is three folders up.
const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { contributes: Contributes };
const contributes = manifest.contributes;

const known = new Set<string>(Object.values(Commands));
const sorted = (values: Iterable<string>) => [...values].sort();

/** Every `when` clause of the manifest, with where it is. */
function whenClauses(): { where: string; when: string }[] {
  const out: { where: string; when: string }[] = [];
  for (const [menu, entries] of Object.entries(contributes.menus)) {
    for (const e of entries) if (e.when !== undefined) out.push({ where: `${menu} ${e.command}`, when: e.when });
  }
  for (const k of contributes.keybindings ?? []) if (k.when !== undefined) out.push({ where: `keybinding ${k.command}`, when: k.when });
  for (const w of contributes.viewsWelcome) if (w.when !== undefined) out.push({ where: `welcome of ${w.view}`, when: w.when });
  return out;
}

/** The `viewItem` comparisons of a `when` clause: `==`/`!=` with a value, `=~` with a regular expression. */
function viewItemTests(when: string): { op: '==' | '!=' | '=~'; value: string }[] {
  const out: { op: '==' | '!=' | '=~'; value: string }[] = [];
  for (const m of when.matchAll(/viewItem\s*(==|!=|=~)\s*(\/(?:\\.|[^/])*\/[a-z]*|[^\s&|)]+)/g)) {
    out.push({ op: m[1] as '==' | '!=' | '=~', value: m[2] ?? '' });
  }
  return out;
}

function regex(literal: string): RegExp {
  const end = literal.lastIndexOf('/');
  return new RegExp(literal.slice(1, end), literal.slice(end + 1));
}

describe('package.json contributes', () => {
  it('contributes exactly the commands of the table', () => {
    assert.deepEqual(sorted(contributes.commands.map((c) => c.command)), sorted(known));
  });

  it('names only known commands in menus, keybindings and welcome-view links', () => {
    for (const [menu, entries] of Object.entries(contributes.menus)) {
      for (const e of entries) assert.ok(known.has(e.command), `${menu} names ${e.command}, which is not in common/commands.ts`);
    }
    for (const k of contributes.keybindings ?? []) assert.ok(known.has(k.command), `a keybinding names ${k.command}`);
    for (const w of contributes.viewsWelcome) {
      for (const m of w.contents.matchAll(/\(command:(grove\.[\w.]+)\)/g)) {
        assert.ok(known.has(m[1] ?? ''), `the welcome of ${w.view} links ${m[1]}`);
      }
    }
  });

  it('hides from the palette exactly the commands listed as palette-hidden', () => {
    const hidden = contributes.menus.commandPalette?.filter((e) => e.when === 'false').map((e) => e.command) ?? [];
    assert.deepEqual(sorted(hidden), sorted(PALETTE_HIDDEN));
    // One palette entry per command at most: a second would be ignored by VS Code.
    const palette = contributes.menus.commandPalette?.map((e) => e.command) ?? [];
    assert.equal(new Set(palette).size, palette.length, `a command is listed twice in commandPalette: ${palette.join(', ')}`);
  });

  it('contributes the views of the table', () => {
    const ids = Object.values(contributes.views).flatMap((list) => list.map((v) => v.id));
    assert.deepEqual(sorted(ids), sorted(Object.values(Views)));
    for (const w of contributes.viewsWelcome) assert.ok(ids.includes(w.view), `a welcome view for ${w.view}`);
  });

  it('contributes every setting of the table', () => {
    const properties = Object.keys(contributes.configuration.properties);
    for (const [name, setting] of Object.entries(Settings)) {
      if (name !== 'section') assert.ok(properties.includes(setting), `${setting} is contributed`);
    }
    assert.ok(properties.every((p) => p.startsWith(`${Settings.section}.`)));
  });

  it('uses only context keys the extension sets, views it has, and grove.authState values it gives', () => {
    const keys = new Set<string>(Object.values(ContextKeys));
    const views = new Set<string>(Object.values(Views));
    for (const { where, when } of whenClauses()) {
      for (const m of when.matchAll(/(?<![\w.])(grove\.[\w.]+)/g)) {
        const key = m[1] ?? '';
        const before = when.slice(0, m.index);
        // `config.grove.…` is a setting; `view == grove.…` a view; `viewItem … grove.…` a context value (checked below).
        if (before.endsWith('config.')) continue;
        if (/\bview\s*==\s*$/.test(before)) {
          assert.ok(views.has(key), `${where}: no view ${key}`);
          continue;
        }
        if (/\bviewItem\s*(==|!=)\s*$/.test(before)) continue;
        assert.ok(keys.has(key), `${where}: ${key} is not a context key of common/commands.ts`);
      }
      for (const m of when.matchAll(/config\.(grove\.[\w.]+)/g)) {
        assert.ok(m[1] !== undefined && m[1] in contributes.configuration.properties, `${where}: no setting ${m[1]}`);
      }
      for (const m of when.matchAll(/grove\.authState\s*(?:==|!=)\s*(\w+)/g)) {
        assert.ok((AUTH_CONTEXTS as readonly string[]).includes(m[1] ?? ''), `${where}: grove.authState is never ${m[1]}`);
      }
    }
  });

  it('matches every viewItem pattern against a context value the tree items get', () => {
    const values = allContextValues();
    let checked = 0;
    for (const { where, when } of whenClauses()) {
      for (const { op, value } of viewItemTests(when)) {
        checked++;
        if (op === '=~') {
          const re = regex(value);
          assert.ok(
            values.some((v) => re.test(v)),
            `${where}: ${value} matches no context value`,
          );
        } else {
          assert.ok(values.includes(value), `${where}: ${value} is no context value`);
        }
      }
    }
    assert.ok(checked > 10, `only ${checked} viewItem tests found: the parser is broken`);
  });

  it('finds the regular expressions it checks', () => {
    assert.deepEqual(viewItemTests('view == grove.account && viewItem =~ /^grove\\.state\\./ && viewItem != grove.state.signingIn'), [
      { op: '=~', value: '/^grove\\.state\\./' },
      { op: '!=', value: 'grove.state.signingIn' },
    ]);
  });
});
