/** The attention queue: payments a person must look at, and cancels whose outcome is unknown. */
export const ATTENTION = `<% layout('@layout') %>
<h1><%= it.t.attention.title %></h1>
<section class="panel">
  <h2><%= it.t.attention.payments %> (<%= it.payments.length %>)</h2>
  <% if (it.payments.length === 0) { %>
    <p class="muted"><%= it.t.attention.none %></p>
  <% } else { %>
    <%~ include('@payment-table', { payments: it.payments, t: it.t, f: it.f }) %>
  <% } %>
</section>
<section class="panel">
  <h2><%= it.t.attention.cancels %> (<%= it.cancels.length %>)</h2>
  <% if (it.cancels.length === 0) { %>
    <p class="muted"><%= it.t.attention.none %></p>
  <% } else { %>
  <table>
    <thead><tr><th><%= it.t.payment.title %></th><th><%= it.t.payment.status %></th><th class="num"><%= it.t.payment.amount %></th><th><%= it.t.payment.reason %></th><th><%= it.t.payment.createdAt %></th></tr></thead>
    <tbody>
    <% for (const c of it.cancels) { %>
      <tr>
        <td><a href="/console/payments/<%= c.paymentId %>"><%= c.paymentId %></a></td>
        <td><span class="status status-<%= c.status %>"><%= it.f.status(c.status) %></span></td>
        <td class="num"><%= it.f.won(c.amount) %></td>
        <td class="wrap"><%= c.reason %></td>
        <td><%= it.f.when(c.createdAt) %></td>
      </tr>
    <% } %>
    </tbody>
  </table>
  <% } %>
</section>
<p class="muted"><%= it.t.common.time %></p>
`;
