/**
 * A local stand-in of SSM Parameter Store and Secrets Manager (their JSON APIs, the protocol of @aws-sdk/client-ssm
 * and @aws-sdk/client-secrets-manager) for the two reads the setup function makes: GetParameter and
 * GetSecretValue. It answers as the services do: a SecureString comes back encrypted unless decryption is asked
 * for, a missing name is ParameterNotFound or ResourceNotFoundException, a secret being deleted is refused.
 */
import { randomUUID } from 'node:crypto';
import { type StandIn, type StandInAnswer, startStandIn } from './http-stand-in.js';

export interface FakeSecretStores extends StandIn {
  /** SecureString parameters by name, in plain text. */
  parameters: Map<string, string>;
  /** Secrets by name, their SecretString. */
  secrets: Map<string, string>;
  /** Secrets scheduled for deletion (as after the stack deleted them): reading them is refused. */
  deletedSecrets: Set<string>;
  /** Every action asked, in order (`GetParameter`, `GetSecretValue`). */
  actions: string[];
}

const json = (status: number, body: unknown): StandInAnswer => ({
  status,
  headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() },
  body: JSON.stringify(body),
});
const error = (type: string, message: string, status = 400) => json(status, { __type: type, message });

export async function startFakeSecretStores(): Promise<FakeSecretStores> {
  const parameters = new Map<string, string>();
  const secrets = new Map<string, string>();
  const deletedSecrets = new Set<string>();
  const actions: string[] = [];
  const standIn = await startStandIn(
    ({ headers, body }) => {
      const action = String(headers['x-amz-target']).split('.').pop() ?? '';
      actions.push(action);
      const input = JSON.parse(body) as Record<string, any>;
      switch (action) {
        case 'GetParameter': {
          const value = parameters.get(input.Name);
          if (value === undefined) return error('ParameterNotFound', '');
          // Without decryption SSM answers a SecureString's KMS ciphertext, base64-encoded.
          const answered = input.WithDecryption === true ? value : Buffer.from(`kms-ciphertext:${randomUUID()}`).toString('base64');
          return json(200, { Parameter: { Name: input.Name, Type: 'SecureString', Value: answered, Version: 1, DataType: 'text' } });
        }
        case 'GetSecretValue': {
          if (deletedSecrets.has(input.SecretId)) {
            return error('InvalidRequestException', "You can't perform this operation on the secret because it was marked for deletion.");
          }
          const secretString = secrets.get(input.SecretId);
          if (secretString === undefined) return error('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
          return json(200, {
            ARN: `arn:aws:secretsmanager:us-east-1:111122223333:secret:${input.SecretId}-AbCdEf`,
            Name: input.SecretId,
            SecretString: secretString,
            VersionId: randomUUID(),
          });
        }
        default:
          return error('UnknownOperationException', action);
      }
    },
    (status) => error(status >= 500 ? 'InternalServerError' : 'ThrottlingException', 'injected failure', status),
  );
  return Object.assign(standIn, { parameters, secrets, deletedSecrets, actions });
}
