/**
 * Where the setup function finds its secrets: the Stream API key and secret in SSM Parameter Store
 * (SecureString), and for keys auth the SNS publisher's access key in Secrets Manager. The environment holds only
 * their names; the values live in memory for one invocation and are never logged.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { SetupConfigurationError } from './errors.js';
import type { StreamCredentials } from './stream-app.js';

// Stryker disable next-line ObjectLiteral: 3 is also the SDK's default, and the function's environment sets no AWS_MAX_ATTEMPTS
const ssm = new SSMClient({ maxAttempts: 3 });
// Stryker disable next-line ObjectLiteral: 3 is also the SDK's default, and the function's environment sets no AWS_MAX_ATTEMPTS
const secretsManager = new SecretsManagerClient({ maxAttempts: 3 });

/** Reads the Stream API key and secret from the two SSM parameters named. */
export async function streamCredentialsFromSsm(keyParameter: string, secretParameter: string): Promise<StreamCredentials> {
  const read = async (name: string) => {
    try {
      const { Parameter } = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
      if (!Parameter?.Value) throw new Error('it is empty');
      return Parameter.Value;
    } catch (error) {
      throw new SetupConfigurationError(
        `cannot read the SSM parameter ${name} (${(error as Error).name}: ${(error as Error).message}). Create it with ` +
          `aws ssm put-parameter --type SecureString --name ${name} --value <value>`,
      );
    }
  };
  const [apiKey, apiSecret] = await Promise.all([read(keyParameter), read(secretParameter)]);
  return { apiKey, apiSecret };
}

/** Reads the SNS publisher's access key (keys auth) from the Secrets Manager secret the stack created. */
export async function snsKeysFromSecret(secretId: string): Promise<{ snsKey: string; snsSecret: string }> {
  try {
    const { SecretString } = await secretsManager.send(new GetSecretValueCommand({ SecretId: secretId }));
    const { sns_key: snsKey, sns_secret: snsSecret } = parseSecret(SecretString ?? '{}');
    if (!snsKey || !snsSecret) throw new Error('it has no sns_key and sns_secret');
    return { snsKey, snsSecret };
  } catch (error) {
    throw new SetupConfigurationError(`cannot read the SNS publisher key from secret ${secretId} (${(error as Error).message})`);
  }
}

/** The secret's JSON. A parse error is not passed on: its message quotes the text's first characters, the secret's. */
function parseSecret(secretString: string): Record<string, string> {
  try {
    return JSON.parse(secretString) as Record<string, string>;
  } catch {
    throw new Error('it is not JSON');
  }
}
