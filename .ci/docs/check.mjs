// Renders markdown pages with the renderers users publish docs with, and checks them.
//
// Usage:
//   node check.mjs anchors PAGE.md RENDERED_DIR ANCHOR...
//     every ANCHOR (a `doc_url` fragment) is the id of a heading in every renderer's output;
//     every in-page link resolves; every other link is absolute.
//   node check.mjs verbatim PAGE.md RENDERED_DIR TEXTS.json
//     every text of TEXTS.json (a JSON array of strings) is the whole content of a table
//     cell, as plain text, in every renderer's output; the page has no raw HTML, no
//     comment, no link but in-page ones, and every table row has its header's cell count.
//
// RENDERED_DIR holds what render.py (GitHub's cmark-gfm, MkDocs' Python-Markdown) and, when
// present, mdBook wrote for the same page; marked, markdown-it and MDX run here.

import fs from 'node:fs';
import path from 'node:path';

import { compile } from '@mdx-js/mdx';
import GithubSlugger from 'github-slugger';
import { fromHtml } from 'hast-util-from-html';
import { toString } from 'hast-util-to-string';
import MarkdownIt from 'markdown-it';
import markdownItAnchor from 'markdown-it-anchor';
import { Marked } from 'marked';
import { gfmHeadingId } from 'marked-gfm-heading-id';
import rehypeSlug from 'rehype-slug';
import remarkGfm from 'remark-gfm';
import { visit } from 'unist-util-visit';

const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/** Each renderer: its name, the id prefix its fragments map to, and its hast tree. */
async function render(page, renderedDir) {
  const markdown = fs.readFileSync(page, 'utf8');
  const renderers = [];

  const marked = new Marked(gfmHeadingId());
  renderers.push({ name: 'marked', prefix: '', tree: html(await marked.parse(markdown)) });

  // `html: true` as documentation sites set it, so raw HTML in the page would show.
  const markdownIt = new MarkdownIt({ html: true }).use(markdownItAnchor);
  renderers.push({ name: 'markdown-it', prefix: '', tree: html(markdownIt.render(markdown)) });

  // Docusaurus: MDX with GFM, heading ids by github-slugger.
  let mdxTree;
  const capture = () => (tree) => {
    mdxTree = structuredClone(tree);
  };
  try {
    await compile(markdown, {
      remarkPlugins: [remarkGfm],
      rehypePlugins: [rehypeSlug, capture],
    });
    renderers.push({ name: 'mdx', prefix: '', tree: mdxTree });
  } catch (error) {
    renderers.push({ name: 'mdx', error: `does not compile: ${error.message ?? error}` });
  }

  // GitHub: cmark-gfm's HTML, then ids as GitHub's pipeline adds them: github-slugger on
  // the heading's text, prefixed with `user-content-` by the sanitizer.
  const github = html(fs.readFileSync(path.join(renderedDir, 'github.html'), 'utf8'));
  const slugger = new GithubSlugger();
  visit(github, 'element', (node) => {
    if (HEADINGS.has(node.tagName)) {
      node.properties.id = `user-content-${slugger.slug(toString(node))}`;
    }
  });
  renderers.push({ name: 'github', prefix: 'user-content-', tree: github });

  renderers.push({
    name: 'mkdocs',
    prefix: '',
    tree: html(fs.readFileSync(path.join(renderedDir, 'mkdocs.html'), 'utf8')),
  });

  const mdbook = path.join(renderedDir, 'mdbook.html');
  if (fs.existsSync(mdbook)) {
    // The chapter's content only, not the book's navigation and scripts.
    const page = html(fs.readFileSync(mdbook, 'utf8'));
    let main;
    visit(page, 'element', (node) => {
      if (node.tagName === 'main') main = node;
    });
    renderers.push({ name: 'mdbook', prefix: '', tree: main });
  }
  return renderers;
}

function html(text) {
  return fromHtml(text, { fragment: true });
}

function ids(tree) {
  const found = new Map();
  visit(tree, 'element', (node) => {
    const id = node.properties?.id;
    if (typeof id === 'string' && !found.has(id)) found.set(id, node);
  });
  return found;
}

function hrefs(tree) {
  const found = [];
  visit(tree, 'element', (node) => {
    if (node.tagName === 'a' && node.properties?.href !== undefined) {
      found.push(String(node.properties.href));
    }
  });
  return found;
}

/**
 * The text of a cell when it holds text only, or code spans of text (the escape of a word
 * that would link on sight), else null. Line breaks are compared as HTML parsing leaves
 * them: a carriage return reads as a line feed.
 */
function plainText(cell) {
  let text = '';
  for (const child of cell.children) {
    if (child.type === 'text') {
      text += child.value;
    } else if (
      child.type === 'element' &&
      child.tagName === 'code' &&
      child.children.every((c) => c.type === 'text')
    ) {
      text += child.children.map((c) => c.value).join('');
    } else {
      return null;
    }
  }
  return text.replace(/\r\n?/g, '\n');
}

async function checkAnchors(page, renderedDir, anchors) {
  let failures = 0;
  for (const renderer of await render(page, renderedDir)) {
    if (renderer.error) {
      console.log(`FAIL ${renderer.name}: ${renderer.error}`);
      failures += 1;
      continue;
    }
    const found = ids(renderer.tree);
    const missing = [];
    for (const anchor of anchors) {
      const node = found.get(renderer.prefix + anchor);
      // The anchor is a heading's own id, and that heading names the code.
      if (!node || !HEADINGS.has(node.tagName) || !toString(node).includes(anchor)) {
        missing.push(anchor);
      }
    }
    const broken = [];
    for (const href of hrefs(renderer.tree)) {
      if (href.startsWith('#')) {
        if (!found.has(renderer.prefix + decodeURIComponent(href.slice(1)))) broken.push(href);
      } else if (!/^https:\/\//.test(href)) {
        broken.push(`${href} (relative: breaks when the page is published alone)`);
      }
    }
    const ok = missing.length === 0 && broken.length === 0;
    console.log(
      `${ok ? 'ok  ' : 'FAIL'} ${renderer.name}: ${anchors.length - missing.length}/${anchors.length} doc_url anchors are heading ids` +
        (renderer.prefix ? ` (prefix \`${renderer.prefix}\`)` : '') +
        `; ${broken.length} broken links`,
    );
    for (const anchor of missing) console.log(`       no heading id for #${anchor}`);
    for (const href of broken) console.log(`       broken link ${href}`);
    if (!ok) failures += 1;
  }
  return failures;
}

async function checkVerbatim(page, renderedDir, texts) {
  let failures = 0;
  for (const renderer of await render(page, renderedDir)) {
    if (renderer.error) {
      console.log(`FAIL ${renderer.name}: ${renderer.error}`);
      failures += 1;
      continue;
    }
    const problems = [];
    const cells = new Set();
    visit(renderer.tree, (node) => {
      if (node.type === 'comment') problems.push('an HTML comment');
      if (node.type.startsWith('mdx')) problems.push(`an MDX ${node.type}`);
    });
    visit(renderer.tree, 'element', (node) => {
      if (['script', 'img', 'iframe', 'style', 'del', 'b', 'sup', 'section'].includes(node.tagName)) {
        problems.push(`a <${node.tagName}> element`);
      }
      for (const name of Object.keys(node.properties ?? {})) {
        if (/^on/i.test(name)) problems.push(`an \`${name}\` attribute on <${node.tagName}>`);
      }
      if (node.tagName === 'a') {
        const href = String(node.properties?.href ?? '');
        if (!href.startsWith('#')) problems.push(`a live link to ${href}`);
      }
      if (node.tagName === 'table') {
        let width;
        visit(node, 'element', (row) => {
          if (row.tagName !== 'tr') return;
          const count = row.children.filter(
            (c) => c.type === 'element' && (c.tagName === 'td' || c.tagName === 'th'),
          ).length;
          width ??= count;
          if (count !== width) problems.push(`a row of ${count} cells under ${width} headers`);
        });
      }
      if (node.tagName === 'td') {
        const text = plainText(node);
        if (text !== null) cells.add(text);
      }
    });
    for (const text of texts) {
      if (!cells.has(text.replace(/\r\n?/g, '\n'))) problems.push(`no cell shows ${JSON.stringify(text)} as written`);
    }
    const ok = problems.length === 0;
    console.log(
      `${ok ? 'ok  ' : 'FAIL'} ${renderer.name}: ${texts.length} hostile texts, ${problems.length} problems`,
    );
    for (const problem of [...new Set(problems)]) console.log(`       ${problem}`);
    if (!ok) failures += 1;
  }
  return failures;
}

const [mode, page, renderedDir, ...rest] = process.argv.slice(2);
let failures;
if (mode === 'anchors') {
  failures = await checkAnchors(page, renderedDir, rest);
} else if (mode === 'verbatim') {
  failures = await checkVerbatim(page, renderedDir, JSON.parse(fs.readFileSync(rest[0], 'utf8')));
} else {
  console.error('usage: check.mjs anchors|verbatim PAGE.md RENDERED_DIR ...');
  process.exit(2);
}
process.exit(failures === 0 ? 0 : 1);
