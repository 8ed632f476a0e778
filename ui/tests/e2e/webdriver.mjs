// A small W3C WebDriver client (fetch), enough to drive the real app through
// tauri-driver: sessions, elements, clicks, keys, scripts, screenshots. No download,
// no browser management: tauri-driver starts the app under WebKitWebDriver.
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

export class WebDriver {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  static async session(base, capabilities) {
    const r = await fetch(`${base}/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ capabilities: { alwaysMatch: capabilities } }),
    });
    const body = await r.json();
    if (!r.ok || !body.value?.sessionId) throw new Error(`new session failed: ${JSON.stringify(body)}`);
    return new WebDriver(base, body.value.sessionId);
  }

  async cmd(method, path, body) {
    const r = await fetch(`${this.base}/session/${this.id}${path}`, {
      method,
      headers: body ? { 'Content-Type': 'application/json' } : undefined,
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await r.json();
    if (!r.ok) throw new Error(`${method} ${path}: ${JSON.stringify(json.value ?? json)}`);
    return json.value;
  }

  async find(css) {
    const v = await this.cmd('POST', '/element', { using: 'css selector', value: css });
    return v[ELEMENT];
  }

  async findAll(css) {
    const v = await this.cmd('POST', '/elements', { using: 'css selector', value: css });
    return v.map((e) => e[ELEMENT]);
  }

  /** Waits until `css` matches an element (and `pred(text)` holds, when given). */
  async waitFor(css, { timeout = 30_000, text } = {}) {
    const end = Date.now() + timeout;
    let last = '';
    for (;;) {
      const els = await this.findAll(css).catch(() => []);
      if (els.length) {
        if (!text) return els[0];
        // textContent, not the rendered text: WebKit reports clipped (ellipsis) text as empty.
        last = String((await this.execute('return arguments[0].textContent', [{ [ELEMENT]: els[0] }]).catch(() => '')) ?? '').trim();
        if (text.test(last)) return els[0];
      }
      if (Date.now() > end) throw new Error(`timed out waiting for ${css}${text ? ` ${text} (last: "${last}")` : ''}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  click(el) {
    return this.cmd('POST', `/element/${el}/click`, {});
  }

  type(el, text) {
    return this.cmd('POST', `/element/${el}/value`, { text });
  }

  text(el) {
    return this.cmd('GET', `/element/${el}/text`);
  }

  execute(script, args = []) {
    return this.cmd('POST', '/execute/sync', { script, args });
  }

  async screenshot() {
    return Buffer.from(await this.cmd('GET', '/screenshot'), 'base64');
  }

  quit() {
    return fetch(`${this.base}/session/${this.id}`, { method: 'DELETE' }).catch(() => {});
  }
}
