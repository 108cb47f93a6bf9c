import nodemailer from 'nodemailer';
import type { Config } from '../config';

export interface MailAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly content: Buffer;
}

export interface MailMessage {
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly attachments: readonly MailAttachment[];
}

export interface Mailer {
  /** Hands the message to the mail server; resolves with the server's answer, rejects with its refusal. */
  send(message: MailMessage): Promise<{ messageId: string; response: string }>;
}

export class MailNotConfiguredError extends Error {
  constructor() {
    super('no mail server is configured: set SMTP_URL (e.g. smtp://user:password@mail.example.com:587) and restart');
    this.name = 'MailNotConfiguredError';
  }
}

/** The SMTP mailer of the configuration (nodemailer), or one that refuses every message when SMTP_URL is not set. */
export function createMailer(config: Pick<Config, 'smtpUrl'>): Mailer {
  if (config.smtpUrl === undefined) {
    return {
      send: () => Promise.reject(new MailNotConfiguredError()),
    };
  }
  // Explicit timeouts, together well inside the sending lease (5 minutes), so a hung server fails the attempt.
  const transport = nodemailer.createTransport({ url: config.smtpUrl, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 });
  return {
    async send(message) {
      const info = await transport.sendMail({ ...message, attachments: message.attachments.map((attachment) => ({ ...attachment })) });
      return { messageId: info.messageId, response: info.response };
    },
  };
}
