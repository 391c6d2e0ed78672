import { escapeHtml } from '@app/html';

// The pages import every helper from here; the escaping itself is the one the service's pages use too.
export { escapeHtml };

/** A value as a JavaScript literal safe inside an inline `<script>` (no `</script>` can close it). */
export function scriptLiteral(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A complete, self-contained page (inline CSS only). */
export function page(title: string, body: string, lang = 'ko'): string {
  return `<!DOCTYPE html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: -apple-system, "Malgun Gothic", sans-serif; margin: 0; padding: 16px; color: #222; background: #f6f7f9; }
  main { max-width: 420px; margin: 0 auto; background: #fff; border-radius: 8px; padding: 20px; box-shadow: 0 1px 4px rgba(0,0,0,.1); }
  h1 { font-size: 18px; margin: 0 0 12px; }
  h2 { font-size: 15px; margin: 18px 0 8px; }
  dl { display: grid; grid-template-columns: 9em 1fr; gap: 6px 8px; margin: 0; }
  dt { color: #666; }
  dd { margin: 0; }
  label { display: block; margin: 10px 0 4px; font-size: 14px; }
  input, select { width: 100%; box-sizing: border-box; padding: 8px; font-size: 15px; }
  button { margin-top: 16px; padding: 10px 16px; font-size: 15px; }
  .error { color: #b00020; }
  .sandbox { font-size: 12px; color: #888; margin-top: 16px; }
  table { width: 100%; border-collapse: collapse; font-size: 14px; }
  th, td { text-align: left; padding: 4px; border-bottom: 1px solid #eee; }
</style>
</head>
<body>
<main>
${body}
<p class="sandbox">PAY-STORY sandbox gateway</p>
</main>
</body>
</html>`;
}
