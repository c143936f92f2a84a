import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { createTestServer, type TestServer } from '../support/server.js';

describeEachDatabase('HTTP error model', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer(kind);
  });
  afterAll(async () => server.close());

  function expectProblem(response: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }, status: number, code: string) {
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = response.json() as Record<string, unknown>;
    expect(body).toMatchObject({ status, code, type: `urn:paygate:error:${code}` });
    expect(typeof body.title).toBe('string');
    expect(typeof body.detail).toBe('string');
    expect(body.requestId).toBe(response.headers['x-request-id']);
    expect(JSON.stringify(body)).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
    return body;
  }

  it('malformed JSON → 400 malformed_json', async () => {
    const r = await server.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"email": ' });
    expectProblem(r, 400, 'malformed_json');
  });

  it('empty JSON body → 400 malformed_json', async () => {
    const r = await server.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '' });
    expectProblem(r, 400, 'malformed_json');
  });

  it('oversized body → 413 payload_too_large', async () => {
    const r = await server.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(70 * 1024) }),
    });
    expectProblem(r, 413, 'payload_too_large');
  });

  it('wrong content type → 415 unsupported_media_type', async () => {
    const r = await server.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=a&password=b',
    });
    expectProblem(r, 415, 'unsupported_media_type');
  });

  it('unknown route → 404 route_not_found in the error shape', async () => {
    expectProblem(await server.app.inject({ method: 'GET', url: '/api/nothing-here' }), 404, 'route_not_found');
    expectProblem(await server.app.inject({ method: 'GET', url: '/v1/nothing' }), 404, 'route_not_found');
  });

  it('known path, wrong method → 405 with Allow', async () => {
    const r = await server.app.inject({ method: 'DELETE', url: '/api/auth/login' });
    const body = expectProblem(r, 405, 'method_not_allowed');
    expect(r.headers.allow).toBe('POST');
    expect(body.allow).toEqual(['POST']);
  });

  it('unknown fields and wrong types → 400 naming every field', async () => {
    const r = await server.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { email: 'not-an-email', password: 12345, name: 'A', businessName: 'B', role: 'owner', isAdmin: true },
    });
    const body = expectProblem(r, 400, 'validation_failed');
    const fields = (body.errors as { field: string; message: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['body.email', 'body.isAdmin', 'body.password', 'body.role']);
    expect((body.errors as { field: string; message: string }[]).find((e) => e.field === 'body.role')?.message).toBe('Unknown field');
  });

  it('invalid path parameters and query strings are validated too', async () => {
    const agent = await server.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { email: 'q@example.com', password: 'correct horse battery', name: 'Q', businessName: 'Q Ltd' },
    });
    const cookie = agent.cookies.find((c) => c.name === 'paygate_session');
    const bpId = (agent.json() as { activeBpId: string }).activeBpId;
    const bad = await server.app.inject({
      method: 'GET',
      url: `/api/bps/${bpId}/audit-log?limit=1000&bogus=1`,
      headers: { cookie: `paygate_session=${cookie?.value}` },
    });
    const body = expectProblem(bad, 400, 'validation_failed');
    expect((body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['querystring.bogus', 'querystring.limit']);
    const badParam = await server.app.inject({ method: 'GET', url: '/api/bps/not-a-bp/members', headers: { cookie: `paygate_session=${cookie?.value}` } });
    expect((expectProblem(badParam, 400, 'validation_failed').errors as { field: string }[])[0]?.field).toBe('params.bpId');
  });

  it('every response carries x-request-id; a well-formed incoming one is kept', async () => {
    const minted = await server.app.inject({ method: 'GET', url: '/healthz' });
    expect(minted.headers['x-request-id']).toMatch(/^req_[0-9a-z]{26}$/);
    const kept = await server.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'bp-trace-12345678' } });
    expect(kept.headers['x-request-id']).toBe('bp-trace-12345678');
    const refused = await server.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'bad id with spaces' } });
    expect(refused.headers['x-request-id']).toMatch(/^req_/);
  });

  it('an unexpected failure is 500 internal_error without internals; readiness reports the database', async () => {
    const broken = await createTestServer(kind);
    const signUp = await broken.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { email: 'z@example.com', password: 'correct horse battery', name: 'Z', businessName: 'Z Ltd' },
    });
    const cookie = signUp.cookies.find((c) => c.name === 'paygate_session')?.value;
    await broken.testDb.database.close();
    const r = await broken.app.inject({ method: 'GET', url: '/api/session', headers: { cookie: `paygate_session=${cookie}` } });
    const body = expectProblem(r, 500, 'internal_error');
    expect(String(body.detail)).toContain(String(body.requestId));
    expect(JSON.stringify(body)).not.toMatch(/pool|closed|PGlite/i);
    expectProblem(await broken.app.inject({ method: 'GET', url: '/readyz' }), 503, 'database_unavailable');
    await broken.app.close();
    await broken.testDb.destroy().catch(() => undefined);
  });
});
