/**
 * The hosted deposit page's stylesheet, served from the same origin (the CSP allows no inline
 * style). Phone width first; colours keep at least 4.5:1 contrast; focus is always visible.
 */
export const PAGE_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1c1e;background:#f1f3f6;line-height:1.45}
body{margin:0;padding:12px}
.card{max-width:32rem;margin:0 auto;background:#fff;border-radius:14px;padding:20px 16px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:1.35rem;margin:.2rem 0 1rem}
h2{font-size:1.05rem;margin:1.2rem 0 .4rem}
.merchant{margin:0;color:#44474e;font-size:.95rem}
.banner{margin:0 0 12px;padding:8px 12px;border-radius:8px;background:#fff4d6;color:#4a3800;font-size:.9rem}
.lead{font-size:1.05rem}
.hint{color:#44474e;font-size:.9rem;margin:.3rem 0}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.options{list-style:none;padding:0;margin:0;display:grid;gap:8px}
.option{display:grid;grid-template-columns:1fr auto;gap:2px 12px;padding:12px 14px;border:1px solid #c4c7cf;border-radius:10px;color:inherit;text-decoration:none;min-height:48px}
.option:hover{border-color:#0b57d0;background:#f5f8ff}
.asset{font-weight:600}
.network{grid-column:1;color:#44474e;font-size:.88rem}
.due{grid-row:1/span 2;grid-column:2;align-self:center;font-variant-numeric:tabular-nums}
a{color:#0b57d0}
a:focus-visible,button:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
.field{margin:14px 0}
.label{margin:0;font-size:.85rem;color:#44474e}
.value{margin:.2rem 0;display:flex;flex-wrap:wrap;align-items:center;gap:8px}
.amount{font-size:1.5rem;font-variant-numeric:tabular-nums}
.address{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.95rem;word-break:break-all;background:#f1f3f6;padding:6px 8px;border-radius:6px;flex:1 1 14rem}
.copy{font:inherit;font-size:.9rem;padding:8px 14px;min-height:40px;border-radius:8px;border:1px solid #0b57d0;background:#fff;color:#0b57d0;cursor:pointer}
.copy:hover{background:#eef3fd}
.qr-box{margin:12px 0;text-align:center}
.qr{width:min(15rem,70vw);height:auto;border:1px solid #e1e3e8;border-radius:8px}
.warning{background:#fdecea;color:#5c1414;padding:8px 12px;border-radius:8px;font-size:.9rem}
.status{border-radius:10px;background:#eef3fd;padding:12px 14px;margin:8px 0}
.status-text{margin:0;font-weight:600}
progress{width:100%;height:10px;margin-top:8px}
.countdown{margin:.4rem 0 0;font-size:.9rem;color:#44474e;font-variant-numeric:tabular-nums}
body[data-state=confirmed] .status{background:#e3f4e6}
body[data-state=confirmed] .instructions,body[data-state=expired] .instructions{display:none}
body[data-state=failed] .status,body[data-state=underpaid] .status,body[data-state=expired] .status{background:#fdecea}
.redirect{margin:.5rem 0 0}
.footer{margin:20px 0 0;text-align:center;font-size:.8rem;color:#5d6066}
@media (min-width:720px){body{padding:40px}.card{padding:28px 32px}}
@media (prefers-reduced-motion:reduce){*{transition:none!important}}
`;
