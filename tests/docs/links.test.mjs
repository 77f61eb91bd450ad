// Every relative link and image of the repository's Markdown files resolves: the file exists
// and, for a `#fragment`, the target file has a heading with that GitHub anchor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The tracked Markdown files (node_modules and build output are not tracked). */
function markdownFiles() {
  return execFileSync('git', ['ls-files', '*.md'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
}

/** Markdown with fenced code blocks and inline code blanked (a `[x](y)` there is not a link),
 * keeping the line breaks so line numbers still point at the source. */
function prose(text) {
  return text
    .replace(/^```[\s\S]*?^```/gm, (block) => block.replace(/[^\n]/g, ''))
    .replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function anchor(heading) {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(file) {
  const headings = prose(readFileSync(file, 'utf8')).match(/^#{1,6} .*$/gm) ?? [];
  return new Set(headings.map((h) => anchor(h.replace(/^#+ /, ''))));
}

/** Every `[text](target)` and `![alt](target)` outside code, with its line. */
export function linksIn(text) {
  const links = [];
  prose(text)
    .split('\n')
    .forEach((line, i) => {
      for (const m of line.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        links.push({ target: m[1], line: i + 1 });
      }
    });
  return links;
}

function brokenLinks(file) {
  const broken = [];
  for (const { target, line } of linksIn(readFileSync(join(root, file), 'utf8'))) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, https:, mailto:
    const [path, fragment] = target.split('#');
    const resolved = path ? resolve(root, dirname(file), path) : join(root, file);
    if (!existsSync(resolved)) {
      broken.push(`${file}:${line}: ${target} (no such file)`);
    } else if (fragment && statSync(resolved).isFile() && !anchorsOf(resolved).has(fragment)) {
      broken.push(`${file}:${line}: ${target} (no heading with that anchor)`);
    }
  }
  return broken;
}

test('headings turn into GitHub anchors', () => {
  assert.equal(anchor("The page's main thread while a model trains"), 'the-pages-main-thread-while-a-model-trains');
  assert.equal(anchor('2D models: KL and JS on a grid'), '2d-models-kl-and-js-on-a-grid');
});

test('links inside code are not links', () => {
  assert.deepEqual(linksIn('see [a](b.md) and `[c](d.md)`\n```\n[e](f.md)\n```\n'), [{ target: 'b.md', line: 1 }]);
});

test('every link of the README and docs resolves', () => {
  const files = markdownFiles();
  assert.ok(files.includes('README.md') && files.some((f) => f.startsWith('docs/')));
  assert.deepEqual(files.flatMap(brokenLinks), []);
});
