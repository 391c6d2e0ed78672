/**
 * HTML helpers shared by both applications: the service's registration pages and the sandbox's
 * auth window and receipts must escape alike. Neither app may import the other (the sandbox stands
 * for the gateway and runs on its own), and escaping is no gateway knowledge for `libs/paystory`:
 * hence a library of its own, `@app/html`.
 */
export { escapeHtml } from './escape-html';
