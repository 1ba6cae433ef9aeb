// Tweakpane embeds its stylesheet as an inline <style> in <head>, which the page's CSP (style-src
// 'self', src/relay/http/pageSecurity.ts) refuses, with a console error. The pane is given a view of
// the document whose <head> takes such a style as a constructed stylesheet instead (CSSOM, which
// style-src allows): the same CSS, no inline markup, no violation. Everything else is the document.

/** Tweakpane's styles already adopted, per document, by their `data-tp-style` id. */
const adoptedIds = new WeakMap<Document, Set<string>>();

export function cspSafePaneDocument(doc: Document = document): Document {
  let ids = adoptedIds.get(doc);
  if (!ids) adoptedIds.set(doc, (ids = new Set()));
  const adopted = ids;
  const head = new Proxy(doc.head, {
    get(target, key) {
      if (key === 'appendChild')
        return <T extends Node>(node: T): T => {
          if (!(node instanceof HTMLStyleElement)) return target.appendChild(node);
          const sheet = new CSSStyleSheet();
          sheet.replaceSync(node.textContent ?? '');
          doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
          adopted.add(node.dataset.tpStyle ?? '');
          return node;
        };
      return bound(target, key);
    },
  });
  return new Proxy(doc, {
    get(target, key) {
      if (key === 'head') return head;
      if (key === 'querySelector')
        return (selectors: string) => {
          // embedStyle() asks whether its <style data-tp-style=id> is there before adding it.
          const id = /^style\[data-tp-style=([\w-]+)\]$/.exec(selectors)?.[1];
          return id === undefined ? target.querySelector(selectors) : adopted.has(id) ? target.documentElement : null;
        };
      return bound(target, key);
    },
  });
}

/** A property of the real object; methods bound to it (DOM methods refuse any other `this`). */
function bound(target: object, key: string | symbol): unknown {
  const value: unknown = Reflect.get(target, key, target);
  return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
}
