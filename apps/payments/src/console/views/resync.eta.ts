/** Asking the gateway about one payment, confirmed first like every action. */
export const RESYNC = `<% layout('@layout') %>
<% const p = it.payment; %>
<h1><%= it.t.resync.title %></h1>
<section class="panel">
  <dl class="facts">
    <dt><%= it.t.payment.orderId %></dt><dd><%= p.orderId %></dd>
    <dt><%= it.t.payment.status %></dt><dd><span class="status status-<%= p.status %>"><%= it.f.status(p.status) %></span></dd>
    <dt><%= it.t.payment.amount %></dt><dd><%= it.f.won(p.amount) %></dd>
    <dt><%= it.t.payment.tid %></dt><dd><%= p.tid || '—' %></dd>
  </dl>
  <p><%= it.t.resync.question %></p>
  <form method="post" action="/console/payments/<%= p.id %>/resync">
    <input type="hidden" name="_csrf" value="<%= it.csrf %>">
    <div class="actions">
      <button class="primary" type="submit" id="confirm-resync"><%= it.t.resync.confirm %></button>
      <a href="/console/payments/<%= p.id %>"><%= it.t.common.cancel %></a>
    </div>
  </form>
</section>
`;
