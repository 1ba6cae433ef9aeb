// Tweakpane injects its stylesheet as an inline <style>, which the page's CSP (style-src 'self')
// refuses. The same CSS adopted as a constructed stylesheet is allowed (CSSOM is not inline markup).
export function adoptPaneStyles(doc: Document = document): void {
  for (const element of doc.querySelectorAll<HTMLStyleElement>('style[data-tp-style]')) {
    if (element.dataset.adopted) continue;
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(element.textContent ?? '');
    doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
    element.dataset.adopted = '1';
  }
}
