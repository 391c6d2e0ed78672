/**
 * The console's one stylesheet, served at /console/assets/console.css (the Content-Security-Policy
 * allows no inline style). Sized for a 1366×768 laptop screen: one column, tables that scroll sideways.
 */
export const CONSOLE_CSS = `
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, "Apple SD Gothic Neo", "Noto Sans KR", sans-serif; color: #1d2433; background: #f5f6f8; }
a { color: #1a4fb4; }
.top { display: flex; align-items: center; gap: 1.2rem; padding: .55rem 1.2rem; background: #1d2433; color: #fff; flex-wrap: wrap; }
.top a { color: #dfe6f5; text-decoration: none; }
.top a:hover, .top a[aria-current=page] { color: #fff; text-decoration: underline; }
.brand { font-weight: 600; color: #fff !important; }
.top nav { display: flex; gap: 1rem; flex: 1; flex-wrap: wrap; }
.top .who { color: #aab4c8; }
.top form { margin: 0; }
.top button { background: none; border: 1px solid #56607a; color: #dfe6f5; padding: .2rem .6rem; border-radius: 3px; cursor: pointer; }
main { max-width: 1280px; margin: 0 auto; padding: 1rem 1.2rem 3rem; }
h1 { font-size: 1.35rem; margin: .4rem 0 1rem; }
h2 { font-size: 1.05rem; margin: 1.6rem 0 .6rem; }
.panel { background: #fff; border: 1px solid #dde1e8; border-radius: 4px; padding: .9rem 1rem; margin-bottom: 1rem; overflow-x: auto; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: .35rem .55rem; border-bottom: 1px solid #eceef2; vertical-align: top; white-space: nowrap; }
td.wrap { white-space: normal; }
th { font-weight: 600; color: #4a5368; background: #fafbfc; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
dl.facts { display: grid; grid-template-columns: max-content 1fr max-content 1fr; gap: .3rem 1rem; margin: 0; }
dl.facts dt { color: #4a5368; } dl.facts dd { margin: 0; }
.status { display: inline-block; padding: 0 .45rem; border-radius: 3px; background: #e8ebf1; }
.status-APPROVED, .status-SUCCEEDED, .status-ACTIVE, .status-APPLIED { background: #dcf2e3; color: #0f5c2a; }
.status-UNKNOWN, .status-PENDING, .status-PAST_DUE, .status-AWAITING_CONFIRMATION { background: #fff1cc; color: #6b4a00; }
.status-DECLINED, .status-FAILED, .status-UNPAID, .status-REJECTED { background: #fde0e0; color: #8a1c1c; }
.notice { background: #e6f0ff; border: 1px solid #b9cff5; padding: .6rem .9rem; border-radius: 4px; }
.error { background: #fdecec; border: 1px solid #f2b8b8; padding: .6rem .9rem; border-radius: 4px; color: #8a1c1c; }
.muted { color: #667089; }
form.stack label { display: block; margin: .7rem 0 .25rem; font-weight: 600; }
form.stack input[type=text], form.stack input[type=password], form.stack input[type=number], form.stack input[type=search] { width: 100%; max-width: 28rem; padding: .45rem .55rem; font-size: 1rem; border: 1px solid #b9c0cc; border-radius: 3px; }
form.inline { display: flex; gap: .5rem; align-items: flex-end; flex-wrap: wrap; }
form.inline input, form.inline select { padding: .4rem .5rem; font-size: .95rem; border: 1px solid #b9c0cc; border-radius: 3px; }
button.primary, a.button { display: inline-block; background: #1a4fb4; color: #fff; border: none; border-radius: 3px; padding: .45rem 1rem; font-size: .95rem; cursor: pointer; text-decoration: none; }
button.danger { background: #b42318; color: #fff; border: none; border-radius: 3px; padding: .45rem 1rem; font-size: .95rem; cursor: pointer; }
.actions { display: flex; gap: .6rem; margin-top: 1rem; align-items: center; }
.field-error { color: #8a1c1c; margin: .2rem 0 0; }
pre { margin: 0; font-size: .8rem; white-space: pre-wrap; word-break: break-all; max-width: 60rem; }
.sign-in { max-width: 24rem; margin: 4rem auto; }
`;
