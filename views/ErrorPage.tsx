import { Layout, PoweredBy } from "./Layout";

const headingFor = (status: number) =>
  status === 404 ? "Not found" : status === 403 ? "No access" : status === 410 ? "No longer available" : status === 503 ? "Not available right now" : status >= 500 ? "Something went wrong" : "Please check that";

/**
 * An error as a page. `customer`: a business's customer met it (a contact form, a chat), so it
 * looks like the customer's pages, without Parley's own navigation, and leads back to the
 * business's contact form when there is one.
 */
export function ErrorPage({ status, message, customer }: { status: number; message: string; customer?: { backHref: string | null } }) {
  const heading = headingFor(status);
  if (customer) {
    return (
      <Layout title={heading} bare>
        <div class="contact">
          <section class="contact-card card empty">
            <h1>{heading}</h1>
            <p>{message}</p>
            {customer.backHref ? (
              <p>
                <a href={customer.backHref} class="btn btn-ghost">
                  Back to the contact form
                </a>
              </p>
            ) : null}
          </section>
          <PoweredBy />
        </div>
      </Layout>
    );
  }
  return (
    <Layout title={heading}>
      <section class="card empty">
        <p class="status-code">{status}</p>
        <h1>{heading}</h1>
        <p>{message}</p>
        <p>
          <a href="/" class="btn btn-ghost">
            Back to the start
          </a>
        </p>
      </section>
    </Layout>
  );
}
