/** Every page's frame: navigation for a signed-in operator, the language switch, the page itself. */
export const LAYOUT = `<!doctype html>
<html lang="<%= it.lang %>">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title><%= it.title %> · <%= it.t.console %></title>
<link rel="stylesheet" href="/console/assets/console.css">
</head>
<body>
<header class="top">
  <a class="brand" href="/console/attention"><%= it.t.console %></a>
  <nav>
  <% if (it.operator) { %>
  <% for (const key of ['attention', 'search', 'subscriptions', 'notifications', 'outbox', 'reconciliation']) { %>
    <a href="/console/<%= key %>"<%~ it.section === key ? ' aria-current="page"' : '' %>><%= it.t.nav[key] %></a>
  <% } %>
  <% } %>
  </nav>
  <% if (it.operator) { %>
  <span class="who"><%= it.t.signedInAs %> <strong id="operator"><%= it.operator %></strong></span>
  <form method="post" action="/console/sign-out">
    <input type="hidden" name="_csrf" value="<%= it.csrf %>">
    <button type="submit" id="sign-out"><%= it.t.signOut %></button>
  </form>
  <% } %>
  <a id="language" href="<%= it.languageSwitch %>"><%= it.t.switchTo %></a>
</header>
<main>
<% if (it.notice) { %><p class="notice" role="status" id="notice"><%= it.notice %></p><% } %>
<%~ it.body %>
</main>
</body>
</html>
`;
