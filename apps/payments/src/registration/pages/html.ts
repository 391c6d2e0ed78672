import { escapeHtml } from '@app/html';

// The pages import every helper from here; the escaping itself is the one the sandbox's pages use too.
export { escapeHtml };

/** A JSON value safe inside an inline <script>. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

export function htmlPage(title: string, lang: 'ko' | 'en', body: string): string {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 28rem; margin: 3rem auto; padding: 0 1rem; color: #1d2433; }
  h1 { font-size: 1.4rem; } label { display: block; margin: .8rem 0 .3rem; }
  input[type=text], input[type=tel] { width: 100%; padding: .5rem; font-size: 1rem; box-sizing: border-box; }
  button { margin-top: 1.2rem; padding: .6rem 1.2rem; font-size: 1rem; }
  .ok { color: #106b2b; } .fail { color: #a4161a; } .muted { color: #667; font-size: .9rem; }
  fieldset { border: none; padding: 0; margin: .8rem 0 0; }
</style>
</head>
<body>
${body}
</body>
</html>`;
}
