import type { MailContent } from "../../worker/mail/message";

// The HTML part of every mail: one column, inline styles (mail clients load no stylesheets), the
// same content the text part says (text.ts). JSX escapes every value.

const FONT = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;";

export function MailHtml({ content, from }: { content: MailContent; from: string }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{content.subject}</title>
      </head>
      <body style={`margin:0;padding:24px;background:#f4f5f7;color:#1f2430;${FONT}`}>
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px">
          <tr>
            <td style="padding:24px 28px;font-size:15px;line-height:1.5">
              {content.greeting ? <p style="margin:0 0 16px">{content.greeting}</p> : null}
              {content.paragraphs.map((p) => (
                <p style="margin:0 0 16px">{p}</p>
              ))}
              {content.facts?.length ? (
                <table role="presentation" cellpadding="0" cellspacing="0" style="margin:0 0 16px;border-collapse:collapse">
                  {content.facts.map(([label, value]) => (
                    <tr>
                      <td style="padding:4px 16px 4px 0;color:#5b6273">{label}</td>
                      <td style="padding:4px 0;font-weight:600">{value}</td>
                    </tr>
                  ))}
                </table>
              ) : null}
              {content.action ? (
                <p style="margin:0 0 16px">
                  <a href={content.action.url} style="display:inline-block;padding:10px 18px;background:#3b5bdb;color:#ffffff;border-radius:6px;text-decoration:none">
                    {content.action.label}
                  </a>
                </p>
              ) : null}
            </td>
          </tr>
          <tr>
            <td style="padding:12px 28px 20px;font-size:12px;color:#5b6273">{from}</td>
          </tr>
        </table>
      </body>
    </html>
  );
}
