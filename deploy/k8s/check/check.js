// Offline check of deploy/k8s: renders the kustomization's resources (the subset of kustomize this
// project uses: namespace, labels, images, resources), validates every object against the Kubernetes
// API schemas bundled in the kubernetes-models package (types, required fields, enums, quantities,
// int-or-string), then checks references between objects: config maps and secrets that pods read,
// Service and PodDisruptionBudget selectors that must match a pod template, StatefulSet service names,
// probe ports that must name a container port, and that every workload sets resources and probes.
// A self-test first proves the schema check rejects broken objects. Nothing is downloaded here.
//   node deploy/k8s/check/check.js [DIR]      (npm ci in deploy/k8s/check once)
import { readFileSync } from "node:fs";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, parseAllDocuments } from "yaml";

const dir = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), ".."));
const problems = [];
const fail = (where, what) => problems.push(`${where}: ${what}`);

async function schemaCheck(obj) {
  const [group, version] = obj.apiVersion.includes("/") ? obj.apiVersion.split("/") : [null, obj.apiVersion];
  let mod;
  try {
    mod = await import(group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`);
  } catch {
    throw new Error(`unknown apiVersion ${obj.apiVersion}`);
  }
  const Model = mod[obj.kind];
  if (!Model) throw new Error(`unknown kind ${obj.kind} in ${obj.apiVersion}`);
  new Model(obj).validate();
}

// Self-test: the check has teeth.
for (const [label, bad] of [
  ["replicas as a string", { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "x" },
    spec: { replicas: "two", selector: {}, template: { spec: { containers: [{ name: "c", image: "i" }] } } } }],
  ["a memory limit that is no quantity", { apiVersion: "v1", kind: "Pod", metadata: { name: "x" },
    spec: { containers: [{ name: "c", image: "i", resources: { limits: { memory: "lots" } } }] } }],
  ["a probe without a port", { apiVersion: "v1", kind: "Pod", metadata: { name: "x" },
    spec: { containers: [{ name: "c", image: "i", livenessProbe: { httpGet: { path: "/" } } }] } }],
  ["an unknown kind", { apiVersion: "apps/v1", kind: "Deploymnet", metadata: { name: "x" } }],
]) {
  let rejected = false;
  try { await schemaCheck(bad); } catch { rejected = true; }
  if (!rejected) { console.error(`self-test: the schema check accepted ${label}`); process.exit(2); }
}

const kustomization = parse(readFileSync(join(dir, "kustomization.yaml"), "utf8"));
const known = new Set(["apiVersion", "kind", "namespace", "labels", "resources", "images"]);
for (const key of Object.keys(kustomization)) if (!known.has(key)) fail("kustomization.yaml", `unsupported field ${key}`);
if (kustomization.kind !== "Kustomization") fail("kustomization.yaml", "kind must be Kustomization");
const imageNames = new Set((kustomization.images ?? []).map((i) => i.name));

const objects = [];
for (const file of kustomization.resources ?? []) {
  let docs;
  try { docs = parseAllDocuments(readFileSync(join(dir, file), "utf8")); } catch (e) { fail(file, e.message); continue; }
  for (const doc of docs) {
    if (doc.errors.length) { fail(file, doc.errors.map((e) => e.message).join("; ")); continue; }
    const obj = doc.toJS();
    if (obj == null) continue;
    const where = `${file}: ${obj.kind}/${obj.metadata?.name}`;
    if (obj.metadata?.namespace && obj.metadata.namespace !== kustomization.namespace)
      fail(where, `namespace ${obj.metadata.namespace} differs from the kustomization's ${kustomization.namespace}`);
    try { await schemaCheck(obj); } catch (e) { fail(where, e.message); }
    objects.push({ where, obj });
  }
}

const byKind = (kind) => objects.filter((o) => o.obj.kind === kind);
const names = (kind) => new Set(byKind(kind).map((o) => o.obj.metadata.name));
const workloads = objects.filter((o) => ["Deployment", "StatefulSet", "DaemonSet"].includes(o.obj.kind));
const templates = workloads.map((o) => o.obj.spec.template);
const matches = (selector) => templates.some((t) =>
  Object.entries(selector ?? {}).every(([k, v]) => t.metadata?.labels?.[k] === v));
const configMaps = names("ConfigMap"), secrets = names("Secret"), services = names("Service");

for (const { where, obj } of workloads) {
  const spec = obj.spec.template.spec;
  if (!matches(obj.spec.selector?.matchLabels)) fail(where, "selector does not match its pod template");
  if (obj.kind === "StatefulSet" && !services.has(obj.spec.serviceName)) fail(where, `no Service ${obj.spec.serviceName}`);
  for (const c of spec.containers) {
    const cw = `${where} container ${c.name}`;
    if (!imageNames.has(c.image.split(":")[0])) fail(cw, `image ${c.image} is not in the kustomization's images`);
    if (!c.resources?.requests || !c.resources?.limits) fail(cw, "needs resources.requests and resources.limits");
    if (!c.readinessProbe || !c.livenessProbe) fail(cw, "needs readiness and liveness probes");
    const ports = new Set((c.ports ?? []).flatMap((p) => [p.name, p.containerPort]));
    for (const probe of [c.readinessProbe, c.livenessProbe, c.startupProbe].filter(Boolean)) {
      const port = probe.httpGet?.port ?? probe.tcpSocket?.port;
      if (port !== undefined && !ports.has(port)) fail(cw, `probe port ${port} is not a container port`);
    }
    for (const from of c.envFrom ?? []) {
      if (from.configMapRef && !configMaps.has(from.configMapRef.name)) fail(cw, `no ConfigMap ${from.configMapRef.name}`);
      if (from.secretRef && !secrets.has(from.secretRef.name)) fail(cw, `no Secret ${from.secretRef.name}`);
    }
    for (const e of c.env ?? []) {
      const s = e.valueFrom?.secretKeyRef, m = e.valueFrom?.configMapKeyRef;
      if (s && !secrets.has(s.name)) fail(cw, `no Secret ${s.name}`);
      if (m && !configMaps.has(m.name)) fail(cw, `no ConfigMap ${m.name}`);
    }
    const volumes = new Set([...(spec.volumes ?? []).map((v) => v.name),
      ...(obj.spec.volumeClaimTemplates ?? []).map((v) => v.metadata.name)]);
    for (const m of c.volumeMounts ?? []) if (!volumes.has(m.name)) fail(cw, `mounts unknown volume ${m.name}`);
  }
}
for (const { where, obj } of byKind("Service")) if (!matches(obj.spec.selector)) fail(where, "selects no pod template");
for (const { where, obj } of byKind("PodDisruptionBudget"))
  if (!matches(obj.spec.selector?.matchLabels)) fail(where, "selects no pod template");

if (problems.length) {
  console.error(`deploy/k8s: ${problems.length} problem(s):\n  ` + problems.join("\n  "));
  process.exit(1);
}
console.log(`deploy/k8s: ${objects.length} objects valid (${[...new Set(objects.map((o) => o.obj.kind))].join(", ")})`);
