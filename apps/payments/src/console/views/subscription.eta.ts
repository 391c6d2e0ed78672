/** One subscription: its dunning state and every charge attempt with its payment. */
export const SUBSCRIPTION = `<% layout('@layout') %>
<% const s = it.subscription; %>
<h1><%= it.t.subscriptions.title %> <span class="muted"><%= s.id %></span></h1>
<section class="panel">
  <dl class="facts">
    <dt><%= it.t.common.status %></dt><dd><span class="status status-<%= s.status %>" id="subscription-status"><%= it.f.status(s.status) %></span></dd>
    <dt><%= it.t.common.tenant %></dt><dd id="tenant"><%= it.tenantId %></dd>
    <dt><%= it.t.subscriptions.customer %></dt><dd><%= s.customerId %></dd>
    <dt><%= it.t.subscriptions.amount %></dt><dd><%= it.f.won(s.amount) %></dd>
    <dt><%= it.t.subscriptions.interval %></dt><dd><%= s.interval %> (<%= s.anchorDay %>)</dd>
    <dt><%= it.t.subscriptions.period %></dt><dd><%= s.currentPeriod %></dd>
    <dt><%= it.t.subscriptions.nextChargeAt %></dt><dd><%= it.f.when(s.nextChargeAt) %></dd>
  </dl>
</section>
<section class="panel">
  <h2><%= it.t.subscriptions.dunning %></h2>
  <dl class="facts">
    <dt><%= it.t.subscriptions.attempt %></dt><dd id="retry-attempt"><%= s.retryAttempt %> / <%= it.retryDays.length %></dd>
    <dt><%= it.t.subscriptions.retryDays %></dt><dd><%= it.retryDays.join(', ') %></dd>
    <dt><%= it.t.subscriptions.statusReason %></dt><dd class="wrap"><%= s.statusReason || '—' %></dd>
  </dl>
</section>
<section class="panel">
  <h2><%= it.t.subscriptions.charges %></h2>
  <table>
    <thead><tr><th class="num"><%= it.t.subscriptions.period %></th><th class="num"><%= it.t.subscriptions.attempt %></th><th><%= it.t.payment.orderId %></th><th><%= it.t.common.status %></th><th><%= it.t.payment.failure %></th><th class="num"><%= it.t.payment.amount %></th><th><%= it.t.payment.title %></th><th><%= it.t.common.when %></th></tr></thead>
    <tbody>
    <% for (const c of it.charges) { %>
      <tr>
        <td class="num"><%= c.period %></td>
        <td class="num"><%= c.attempt %></td>
        <td><%= c.orderId %></td>
        <td><span class="status status-<%= c.status %>"><%= it.f.status(c.status) %></span></td>
        <td><%= c.failureCode || '' %></td>
        <td class="num"><%= it.f.won(c.amount) %></td>
        <td><% if (c.paymentId) { %><a href="/console/payments/<%= c.paymentId %>"><%= it.f.status(c.paymentStatus) %></a><% } %></td>
        <td><%= it.f.when(c.createdAt) %></td>
      </tr>
    <% } %>
    </tbody>
  </table>
</section>
`;
