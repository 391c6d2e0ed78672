/** One box for an order id, a customer id or a tid; a GET form, so a search is a link. */
export const SEARCH = `<% layout('@layout') %>
<h1><%= it.t.search.title %></h1>
<section class="panel">
  <form class="inline" method="get" action="/console/search" role="search">
    <label for="q"><%= it.t.search.query %></label>
    <input id="q" name="q" type="search" value="<%= it.query %>" size="40" maxlength="100">
    <button class="primary" type="submit" id="search"><%= it.t.search.submit %></button>
  </form>
  <% if (it.error) { %><p class="error" role="alert"><%= it.error %></p><% } %>
</section>
<% if (it.searched) { %>
<section class="panel" id="results">
  <% if (it.payments.length === 0) { %>
    <p class="muted"><%= it.t.search.none %></p>
  <% } else { %>
    <%~ include('@payment-table', { payments: it.payments, t: it.t, f: it.f }) %>
  <% } %>
</section>
<% } %>
`;
