/**
 * Builds the functions exactly as `sls deploy` does (the real `serverless package`, serverless-esbuild included)
 * and unpacks each function's zip, so that the local run executes the very bundles that would deploy.
 *
 * The build runs in a staging folder of its own (symbolic links to the service's files): osls deletes
 * `<service>/.serverless` on every package and serverless-esbuild copies its zips there, so packaging in the
 * service itself would destroy what an operator keeps in `.serverless/`.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import yauzl from 'yauzl';

const PROJECT_DIR = fileURLToPath(new URL('../', import.meta.url));

/** A function as the packaged CloudFormation template defines it. */
export interface BuiltFunction {
  /** The function's key in serverless.yml (`messages`). */
  name: string;
  /** Its deployed name (`stream-chat-events-dev-messages`), the last part of the ARN its dead letters name. */
  functionName: string;
  /** The unpacked handler module (`.../functions/messages/handler.cjs`). */
  handlerFile: string;
  /** The exported handler's name (`handler`). */
  handlerExport: string;
  /** Its environment, as deployed. */
  environment: Record<string, string>;
  timeoutSeconds: number;
  /** `MemorySize`; the local run caps each execution environment's heap at about 90% of it, as Lambda does. */
  memorySizeMb: number;
  /** `ReservedConcurrentExecutions`, if set: the most execution environments the function may have at once. */
  reservedConcurrency: number | undefined;
  /** How many times Lambda retries a failed asynchronous invocation. */
  maximumRetryAttempts: number;
}

/** Options of {@link buildSubscribedFunctions}. */
export interface BuildOptions {
  stage: string;
  /** The serverless service to build (a folder holding serverless.yml); by default this project. */
  serviceDir: string;
}

/** The result of a build: the functions subscribed to the topic, in template order. */
export interface Build {
  functions: BuiltFunction[];
  /** The size of every function's zip (the subscribed ones and the others), as deploy would upload it. */
  zipBytes: Record<string, number>;
  /** Removes the unpacked build. */
  remove(): void;
}

/** Runs `serverless package` into a folder of its own and unpacks the functions subscribed to the topic. */
export async function buildSubscribedFunctions(options: Partial<BuildOptions> = {}): Promise<Build> {
  const { stage, serviceDir } = { stage: 'dev', serviceDir: PROJECT_DIR, ...options };
  // Unpacked inside the service, as `invoke local` does: the bundles leave the AWS SDK to the runtime, and here
  // the project's node_modules plays the runtime's part.
  mkdirSync(join(serviceDir, '.local'), { recursive: true });
  const root = mkdtempSync(join(serviceDir, '.local', 'build-'));
  const packageDir = join(root, 'package');
  const stagingDir = stageService(serviceDir, join(root, 'service'));
  try {
    await promisify(execFile)(join(PROJECT_DIR, 'node_modules/.bin/serverless'), ['package', '--stage', stage, '--package', packageDir], {
      cwd: stagingDir,
      timeout: 300_000,
      maxBuffer: 64 * 1024 * 1024,
      env: {
        ...process.env,
        SLS_TELEMETRY_DISABLED: '1',
        SLS_NOTIFICATIONS_MODE: 'off',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    rmSync(root, { recursive: true, force: true });
    throw new Error(`serverless package failed:\n${stdout}${stderr}`);
  }

  const template = JSON.parse(readFileSync(join(packageDir, 'cloudformation-template-update-stack.json'), 'utf8')) as {
    Resources: Record<string, { Type: string; Properties: Record<string, any> }>;
  };
  const resources = Object.entries(template.Resources);
  const subscribed = resources
    .filter(([, r]) => r.Type === 'AWS::SNS::Subscription' && r.Properties.Protocol === 'lambda')
    .map(([, r]) => r.Properties.Endpoint['Fn::GetAtt'][0] as string);
  const functions: BuiltFunction[] = [];
  for (const logicalId of subscribed) {
    const properties = template.Resources[logicalId]!.Properties;
    const name = logicalId.replace(/LambdaFunction$/, '').replace(/^./, (c) => c.toLowerCase());
    const unpacked = join(root, 'functions', name);
    await unzip(join(packageDir, `${name}.zip`), unpacked);
    const [handlerPath, handlerExport] = splitHandler(properties.Handler);
    const invokeConfig = resources.find(
      ([, r]) => r.Type === 'AWS::Lambda::EventInvokeConfig' && r.Properties.FunctionName.Ref === logicalId,
    )?.[1];
    functions.push({
      name,
      functionName: typeof properties.FunctionName === 'string' ? properties.FunctionName : name,
      handlerFile: join(unpacked, `${handlerPath}.cjs`),
      handlerExport,
      environment: properties.Environment?.Variables ?? {},
      // CloudFormation's defaults when the template leaves them out.
      timeoutSeconds: properties.Timeout ?? 3,
      memorySizeMb: properties.MemorySize ?? 128,
      reservedConcurrency: properties.ReservedConcurrentExecutions,
      maximumRetryAttempts: invokeConfig?.Properties.MaximumRetryAttempts ?? 2,
    });
  }
  const zipBytes = Object.fromEntries(
    readdirSync(packageDir)
      .filter((name) => name.endsWith('.zip'))
      .map((name) => [name.replace(/\.zip$/, ''), statSync(join(packageDir, name)).size]),
  );
  return { functions, zipBytes, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/**
 * Links the service's files and folders into `into`, except those a build writes or deletes, so that osls and
 * serverless-esbuild work there; the service's configuration is copied, as osls does not take a linked one.
 * (Linked, not copied, sources keep their relative imports.) A service without node_modules of its own (a test
 * fixture) gets the project's.
 */
function stageService(serviceDir: string, into: string): string {
  const ownFolders = new Set(['.serverless', '.local', '.esbuild', '.git']);
  mkdirSync(into, { recursive: true });
  for (const entry of readdirSync(serviceDir, { withFileTypes: true })) {
    if (ownFolders.has(entry.name) || entry.name.startsWith('.esbuild-')) continue;
    const source = resolve(serviceDir, entry.name);
    if (entry.isFile() && entry.name.startsWith('serverless.')) copyFileSync(source, join(into, entry.name));
    else symlinkSync(source, join(into, entry.name));
  }
  if (!existsSync(join(into, 'node_modules'))) symlinkSync(join(PROJECT_DIR, 'node_modules'), join(into, 'node_modules'));
  return into;
}

function splitHandler(handler: string): [string, string] {
  const dot = handler.lastIndexOf('.');
  return [handler.slice(0, dot), handler.slice(dot + 1)];
}

async function unzip(zipFile: string, into: string): Promise<void> {
  const zip = await promisify<string, yauzl.Options, yauzl.ZipFile>(yauzl.open)(zipFile, { lazyEntries: true });
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', resolve);
    zip.on('entry', (entry: yauzl.Entry) => {
      const target = join(into, entry.fileName);
      if (relative(into, target).startsWith('..')) return reject(new Error(`unsafe path in ${zipFile}: ${entry.fileName}`));
      if (entry.fileName.endsWith('/')) return zip.readEntry();
      mkdirSync(dirname(target), { recursive: true });
      zip.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        stream.pipe(createWriteStream(target)).on('finish', () => zip.readEntry()).on('error', reject);
      });
    });
    zip.readEntry();
  });
}
