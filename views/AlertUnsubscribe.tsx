import { CsrfField, Layout } from "./Layout";

/**
 * The link in a customer's alert mail: asks first, since mail scanners open links on their own,
 * and the button stops every alert of theirs at the company.
 */
export function AlertUnsubscribePage({ companyName, alertId, done = false }: { companyName: string; alertId: string; done?: boolean }) {
  return (
    <Layout title="Email alerts" bare>
      <div class="contact">
        <section class="contact-card card center stack">
          <h1>Email alerts</h1>
          {done ? (
            <p class="alert alert-ok" role="status">
              Done — {companyName} will not email you when someone is free. You can ask again on their chat page at any time.
            </p>
          ) : (
            <form method="post" action={`/alerts/${alertId}/unsubscribe`} class="stack">
              <CsrfField />
              <p>Stop the emails {companyName} sends you when someone is free to talk?</p>
              <button type="submit" class="btn btn-primary">
                Stop these emails
              </button>
            </form>
          )}
        </section>
      </div>
    </Layout>
  );
}
