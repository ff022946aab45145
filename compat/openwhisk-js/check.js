// Drives Hearth with the unmodified OpenWhisk JavaScript client (npm "openwhisk").
// Env: APIHOST (http://host:port), AUTH (uuid:key), JAR (path of an echo action jar), MAIN (its class).
// Prints one "ok <step>" line per step; exits non-zero on the first failure.
'use strict';
const fs = require('fs');
const assert = require('assert');
const openwhisk = require('openwhisk');

const ow = openwhisk({ apihost: process.env.APIHOST, api_key: process.env.AUTH });
const name = 'owjs-' + Date.now().toString(36);
const code = fs.readFileSync(process.env.JAR).toString('base64');
const sleep = ms => new Promise(r => setTimeout(r, ms));

async function step(label, fn) {
  await fn();
  console.log('ok ' + label);
}

(async () => {
  await step('namespaces.list', async () => {
    const ns = await ow.namespaces.list();
    assert.ok(Array.isArray(ns) && ns.length >= 1, JSON.stringify(ns));
  });
  await step('actions.create', async () => {
    const a = await ow.actions.create({
      name,
      action: { exec: { kind: 'java', code, binary: true, main: process.env.MAIN },
                parameters: [{ key: 'fixed', value: 'p' }] },
    });
    assert.strictEqual(a.name, name);
  });
  await step('actions.get', async () => {
    const a = await ow.actions.get({ name });
    assert.strictEqual(a.exec.kind, 'java');
  });
  await step('actions.list', async () => {
    const list = await ow.actions.list({ limit: 200 });
    assert.ok(list.some(a => a.name === name));
  });
  await step('actions.invoke blocking result', async () => {
    const r = await ow.actions.invoke({ name, blocking: true, result: true, params: { hello: 'world' } });
    assert.strictEqual(r.hello, 'world');
    assert.strictEqual(r.fixed, 'p');
  });
  let id;
  await step('actions.invoke non-blocking', async () => {
    const r = await ow.actions.invoke({ name, params: { n: 7 } });
    assert.match(r.activationId, /^[0-9a-f]{32}$/);
    id = r.activationId;
  });
  await step('activations.get', async () => {
    for (let i = 0; i < 100; i++) {
      try {
        const act = await ow.activations.get({ name: id });
        assert.strictEqual(act.response.result.n, 7);
        return;
      } catch (e) {
        if (e.statusCode !== 404) throw e;
        await sleep(100);
      }
    }
    throw new Error('activation ' + id + ' never appeared');
  });
  await step('activations.result and logs', async () => {
    const res = await ow.activations.result({ name: id });
    assert.strictEqual(res.result.n, 7);
    const logs = await ow.activations.logs({ name: id });
    assert.ok(Array.isArray(logs.logs));
  });
  await step('activations.list', async () => {
    const list = await ow.activations.list({ name, limit: 5, docs: true });
    assert.ok(list.length >= 2, JSON.stringify(list).slice(0, 300));
  });
  await step('actions.update', async () => {
    const a = await ow.actions.update({ name, action: { limits: { timeout: 3000 } } });
    assert.strictEqual(a.limits.timeout, 3000);
  });
  await step('errors carry OpenWhisk status codes', async () => {
    await assert.rejects(ow.actions.invoke({ name: 'no-such-' + name, blocking: true }),
      e => e.statusCode === 404);
    const bad = openwhisk({ apihost: process.env.APIHOST, api_key: process.env.AUTH.split(':')[0] + ':wrong' });
    await assert.rejects(bad.actions.list(), e => e.statusCode === 401);
  });
  await step('actions.delete', async () => {
    await ow.actions.delete({ name });
    await assert.rejects(ow.actions.get({ name }), e => e.statusCode === 404);
  });
})().catch(e => {
  console.error('FAILED: ' + (e.stack || e) + (e.error ? '\n' + JSON.stringify(e.error) : ''));
  process.exit(1);
});
