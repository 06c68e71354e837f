// Drives node-marketo-rest's email and landing page calls against a Marketo endpoint and
// prints what each call answered, one JSON object (tests/test_node_marketo_rest.py reads it).
// Usage: node marketo_assets.js <rest endpoint> <identity endpoint> <client id> <secret> <email id>
'use strict';
const Marketo = require('node-marketo-rest');

const [endpoint, identity, clientId, clientSecret, emailId] = process.argv.slice(2);
const marketo = new Marketo({ endpoint, identity, clientId, clientSecret,
                              retry: { maxRetries: 0 } });

async function step(name, run, out) {
  try {
    out[name] = { ok: true, answer: await run() };
  } catch (err) {
    out[name] = { ok: false, error: String(err && (err.message || err)),
                  status: err && err.code, body: err && err.data };
  }
}

(async () => {
  const out = {};
  await step('getEmails', () => marketo.email.getEmails({ maxReturn: 10 }), out);
  await step('getEmailContent', () => marketo.email.getEmailContent(emailId), out);
  await step('updateEmailContentEditableText', () => marketo.email.updateEmailContentEditableText(
    emailId, 'headline', '<h2>From node</h2>', 'From node'), out);
  await step('approveEmail', () => marketo.email.approveEmail(emailId), out);
  await step('getLandingPages', () => marketo.landingPage.getLandingPages({}), out);
  process.stdout.write(JSON.stringify(out));
})();
