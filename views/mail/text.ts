import type { MailContent } from "../../worker/mail/message";

// The text part of every mail, from the same content as the HTML part (MailHtml.tsx).

export function mailText(content: MailContent, from: string): string {
  const width = Math.max(0, ...(content.facts ?? []).map(([label]) => label.length));
  const blocks = [
    ...(content.greeting ? [content.greeting] : []),
    ...content.paragraphs,
    ...(content.facts?.length ? [content.facts.map(([label, value]) => `${`${label}:`.padEnd(width + 2)}${value}`).join("\n")] : []),
    ...(content.action ? [`${content.action.label}: ${content.action.url}`] : []),
    `-- \n${from}`,
  ];
  return `${blocks.join("\n\n")}\n`;
}
