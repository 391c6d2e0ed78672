/** The daily reconciliation runs with the gateway, newest first, and the mismatches of those shown. */
export const RECONCILIATION = `<% layout('@layout') %>
<h1><%= it.t.reconciliation.title %></h1>
<section class="panel">
  <% if (it.runs.length === 0) { %>
    <p class="muted" id="no-reports"><%= it.t.reconciliation.none %></p>
  <% } else { %>
  <table id="runs">
    <thead><tr><th>Seoul</th><th>MID</th><th><%= it.t.common.status %></th><th class="num">#</th><th class="num">checked</th><th class="num">matched</th><th class="num">corrected</th><th class="num">attention</th><th class="num">unchecked</th><th><%= it.t.common.when %></th><th><%= it.t.notifications.reason %></th></tr></thead>
    <tbody>
    <% for (const r of it.runs) { %>
      <tr>
        <td><%= r.seoulDate %></td><td><%= r.merchant %> (<%= r.mid %>)</td>
        <td><span class="status status-<%= r.status %>"><%= r.status %></span></td>
        <td class="num"><%= r.attempt %></td><td class="num"><%= r.checked %></td><td class="num"><%= r.matched %></td>
        <td class="num"><%= r.corrected %></td><td class="num"><%= r.attention %></td><td class="num"><%= r.unchecked %></td>
        <td><%= it.f.when(r.finishedAt || r.startedAt) %></td><td class="wrap"><%= r.failureReason || '' %></td>
      </tr>
    <% } %>
    </tbody>
  </table>
  <% } %>
</section>
<% if (it.mismatches.length > 0) { %>
<section class="panel">
  <h2><%= it.t.reconciliation.mismatches %></h2>
  <table>
    <thead><tr><th>Seoul</th><th><%= it.t.payment.orderId %></th><th>kind</th><th>resolution</th><th><%= it.t.notifications.reason %></th><th><%= it.t.common.when %></th></tr></thead>
    <tbody>
    <% for (const m of it.mismatches) { %>
      <tr>
        <td><%= m.seoulDate %></td>
        <td><a href="/console/payments/<%= m.paymentId %>"><%= m.orderId %></a></td>
        <td><%= m.kind %></td><td><%= m.resolution %></td><td class="wrap"><%= m.detail %></td><td><%= it.f.when(m.createdAt) %></td>
      </tr>
    <% } %>
    </tbody>
  </table>
</section>
<% } %>
`;
