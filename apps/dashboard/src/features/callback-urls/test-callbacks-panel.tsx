import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { api } from '../../app/api-client';
import { ProblemAlert } from '../../ui/problem-alert';
import { deliveriesKey, isActive, useDelivery } from '../deliveries/deliveries-api';
import { DeliveryResult } from '../deliveries/delivery-result';
import { CALLBACK_KINDS, type CallbackKindInfo } from './callback-kinds';
import type { CallbackSettings } from './callback-settings-api';

/**
 * One "Send test callback" button per kind with a saved URL. The sample (marked `"test": true`)
 * goes through the real delivery queue, so the inline result is what a real callback would get.
 */
export function TestCallbacksPanel({ bpId, settings }: { readonly bpId: string; readonly settings: CallbackSettings }) {
  const kinds = CALLBACK_KINDS.filter(({ kind }) => settings.urls[kind].url !== null);
  return (
    <section className="panel panel-flush" aria-labelledby="test-callbacks-title">
      <div className="panel-header">
        <h2 id="test-callbacks-title">Send a test callback</h2>
      </div>
      <p className="panel-body muted">
        Sends a signed sample of the kind (with <code>"test": true</code>) to its saved URL, to check that your endpoint answers and verifies signatures.
      </p>
      {kinds.length === 0 ? (
        <p className="panel-body muted" data-testid="test-callbacks-empty">
          Save a URL above first.
        </p>
      ) : (
        <ul className="test-callbacks">
          {kinds.map((info) => (
            <TestCallbackRow key={info.kind} bpId={bpId} info={info} url={settings.urls[info.kind].url ?? ''} />
          ))}
        </ul>
      )}
    </section>
  );
}

function TestCallbackRow({ bpId, info, url }: { readonly bpId: string; readonly info: CallbackKindInfo; readonly url: string }) {
  const client = useQueryClient();
  const [deliveryId, setDeliveryId] = useState<string | null>(null);
  const send = useMutation({
    mutationFn: () => api.post<{ messageId: string; deliveryId: string }>(`/api/bps/${bpId}/callbacks/test`, { kind: info.kind }),
    onSuccess: async (sent) => {
      setDeliveryId(sent.deliveryId);
      await client.invalidateQueries({ queryKey: deliveriesKey(bpId) });
    },
  });
  return (
    <li className="test-callback-row" data-testid={`test-callback-${info.kind}`}>
      <div className="test-callback-kind">
        <code className="callback-chip">{info.kind}</code>
        <span className="cell-secondary" title={url}>
          {url}
        </span>
      </div>
      <button type="button" className="btn btn-small" onClick={() => send.mutate()} disabled={send.isPending} aria-label={`Send test ${info.kind} callback`}>
        {send.isPending ? 'Sending…' : 'Send test callback'}
      </button>
      <div className="test-callback-result" role="status">
        {deliveryId !== null && <TestResult key={deliveryId} bpId={bpId} deliveryId={deliveryId} />}
      </div>
      <ProblemAlert error={send.error} />
    </li>
  );
}

function TestResult({ bpId, deliveryId }: { readonly bpId: string; readonly deliveryId: string }) {
  const detail = useDelivery(bpId, deliveryId);
  const delivery = detail.data?.delivery;
  const attempt = detail.data?.attempts.at(-1);
  return (
    <span className="test-callback-outcome">
      {delivery === undefined || isActive(delivery.status) ? (
        <span className="muted">{delivery !== undefined && delivery.attempts > 0 ? 'Failed, retrying…' : 'Queued, waiting for delivery…'}</span>
      ) : delivery.status === 'succeeded' ? (
        <span>Delivered</span>
      ) : (
        <span>Not delivered</span>
      )}{' '}
      {delivery !== undefined && delivery.attempts > 0 && (
        <>
          <DeliveryResult statusCode={delivery.lastStatusCode} error={delivery.lastError} />
          {attempt !== undefined && <span className="muted"> in {attempt.durationMs} ms</span>}
        </>
      )}{' '}
      <Link to={`/developers/deliveries?delivery=${deliveryId}`}>View delivery</Link>
    </span>
  );
}
