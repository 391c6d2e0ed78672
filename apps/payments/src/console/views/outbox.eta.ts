/** Domain events not yet delivered: how many, the oldest, by type. */
export const OUTBOX = `<% layout('@layout') %>
<h1><%= it.t.outbox.title %></h1>
<section class="panel">
  <dl class="facts">
    <dt><%= it.t.outbox.unpublished %></dt><dd id="unpublished"><%= it.backlog.unpublished %></dd>
    <dt><%= it.t.outbox.oldest %></dt><dd><%= it.f.when(it.backlog.oldestOccurredAt) %></dd>
  </dl>
</section>
<% if (it.backlog.unpublished === 0) { %>
<section class="panel"><p class="muted"><%= it.t.outbox.none %></p></section>
<% } else { %>
<section class="panel">
  <h2><%= it.t.outbox.byType %></h2>
  <table>
    <thead><tr><th><%= it.t.outbox.type %></th><th class="num"><%= it.t.common.count %></th></tr></thead>
    <tbody><% for (const row of it.backlog.byType) { %><tr><td><%= row.type %></td><td class="num"><%= row.count %></td></tr><% } %></tbody>
  </table>
  <h2><%= it.t.outbox.oldest %></h2>
  <table>
    <thead><tr><th>ID</th><th><%= it.t.outbox.type %></th><th><%= it.t.outbox.occurredAt %></th></tr></thead>
    <tbody><% for (const e of it.backlog.oldest) { %><tr><td><%= e.id %></td><td><%= e.type %></td><td><%= it.f.when(e.occurredAt) %></td></tr><% } %></tbody>
  </table>
</section>
<% } %>
`;
