/** Subscriptions, most recently changed first, by status (PAST_DUE and UNPAID: dunning) or customer. */
export const SUBSCRIPTIONS = `<% layout('@layout') %>
<h1><%= it.t.subscriptions.title %></h1>
<section class="panel">
  <form class="inline" method="get" action="/console/subscriptions">
    <label for="status"><%= it.t.subscriptions.filter %></label>
    <select id="status" name="status">
      <option value=""><%= it.t.subscriptions.all %></option>
      <% for (const s of it.statuses) { %><option value="<%= s %>"<%~ s === it.status ? ' selected' : '' %>><%= it.f.status(s) %></option><% } %>
    </select>
    <label for="customer"><%= it.t.subscriptions.customer %></label>
    <input id="customer" name="customer" type="text" value="<%= it.customer %>" maxlength="100">
    <button class="primary" type="submit"><%= it.t.subscriptions.submit %></button>
  </form>
</section>
<section class="panel">
  <% if (it.subscriptions.length === 0) { %>
    <p class="muted"><%= it.t.subscriptions.none %></p>
  <% } else { %>
  <table>
    <thead><tr><th>ID</th><th><%= it.t.common.tenant %></th><th><%= it.t.common.status %></th><th><%= it.t.subscriptions.customer %></th><th class="num"><%= it.t.subscriptions.amount %></th><th><%= it.t.subscriptions.interval %></th><th class="num"><%= it.t.subscriptions.period %></th><th class="num"><%= it.t.subscriptions.attempt %></th><th><%= it.t.subscriptions.nextChargeAt %></th><th><%= it.t.subscriptions.statusReason %></th></tr></thead>
    <tbody>
    <% for (const s of it.subscriptions) { %>
      <tr>
        <td><a href="/console/subscriptions/<%= s.id %>"><%= s.id %></a></td>
        <td class="tenant"><%= s.tenantId %></td>
        <td><span class="status status-<%= s.status %>"><%= it.f.status(s.status) %></span></td>
        <td><%= s.customerId %></td>
        <td class="num"><%= it.f.won(s.amount) %></td>
        <td><%= s.interval %></td>
        <td class="num"><%= s.currentPeriod %></td>
        <td class="num"><%= s.retryAttempt %></td>
        <td><%= it.f.when(s.nextChargeAt) %></td>
        <td class="wrap"><%= s.statusReason || '' %></td>
      </tr>
    <% } %>
    </tbody>
  </table>
  <% } %>
</section>
`;
