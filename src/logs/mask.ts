// Masks secrets in log lines before they leave the node in a report or bundle (the webhook URL
// suffix is Prisma's shared secret, domain.md 1.1; tokens, passwords, keys): the redactor's rules,
// without the literals of a particular node (the report is masked with those afterwards).
import { Redactor } from '../redact/redactor.js';

const patterns = new Redactor();

export function maskSecrets(line: string): string {
  return patterns.text(line);
}
