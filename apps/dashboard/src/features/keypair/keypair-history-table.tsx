import { formatDateTime } from '../../ui/format';
import type { KeyPair } from './keypair-api';

/** Revoked keys, newest first: which key id a failing backend still uses, and who refreshed it. */
export function KeyPairHistoryTable({ revoked }: { readonly revoked: readonly KeyPair[] }) {
  return (
    <section className="panel panel-flush" aria-labelledby="keypair-history-title">
      <div className="panel-header">
        <h2 id="keypair-history-title">History</h2>
        <span className="muted">Revoked KeyPairs no longer authenticate any request.</span>
      </div>
      {revoked.length === 0 ? (
        <p className="muted panel-body">No revoked KeyPairs. When you refresh the KeyPair, the previous one is listed here.</p>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Key ID and fingerprint</th>
                <th scope="col">Created</th>
                <th scope="col">Revoked</th>
              </tr>
            </thead>
            <tbody>
              {revoked.map((keypair) => (
                <tr key={keypair.id}>
                  <td>
                    <code className="cell-code">{keypair.id}</code>
                    <div className="cell-secondary cell-code">{keypair.fingerprint}</div>
                  </td>
                  <td className="cell-nowrap">
                    <div>{formatDateTime(keypair.createdAt)}</div>
                    <div className="cell-secondary">by {keypair.createdBy}</div>
                  </td>
                  <td className="cell-nowrap">
                    <div>{keypair.revokedAt === null ? '—' : formatDateTime(keypair.revokedAt)}</div>
                    {keypair.revokedBy !== null && <div className="cell-secondary">by {keypair.revokedBy}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
