import { Layout } from "./Layout";

export function ErrorPage({ status, message }: { status: number; message: string }) {
  const heading = status === 404 ? "Not found" : status === 403 ? "No access" : status === 503 ? "Not available right now" : status >= 500 ? "Something went wrong" : "Please check that";
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
