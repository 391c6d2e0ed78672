/** What a refused or failed request shows: the status, what went wrong, each wrong field by name. */
export const ERROR = `<% layout('@layout') %>
<h1><%= it.t.errors.title %> (<%= it.status %>)</h1>
<section class="panel">
  <div class="error" role="alert" id="error" data-status="<%= it.status %>">
    <p><%= it.message %></p>
    <% for (const e of it.fields) { %><p class="field-error" data-field="<%= e.field %>"><%= e.field %>: <%= e.message %></p><% } %>
  </div>
  <div class="actions">
    <% if (it.signIn) { %><a class="button" href="/console/sign-in"><%= it.t.signIn %></a><% } else { %><a href="/console/attention"><%= it.t.common.back %></a><% } %>
  </div>
</section>
`;
