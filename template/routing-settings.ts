/**
 * The stack's routing settings from its parameters (`routing`, `catchAll`, `streamEventTypes`), read the same way
 * by the per-category builders, from osls's variables, and by the template plugin, from the hook's custom resource
 * properties that the setup reads on deploy.
 */
import { RoutingMode, type RoutingSettings } from '../shared/routing.js';
import { RoutingParameterError } from './errors.js';

/** The parameters as serverless.yml or `--param` give them: YAML booleans, or strings. */
export interface RoutingParameters {
  routing: unknown;
  catchAll: unknown;
  streamEventTypes: unknown;
}

const MODES: readonly string[] = Object.values(RoutingMode);
const BOOLEANS = ['true', 'false'] as const;

/** The settings the parameters give; throws {@link RoutingParameterError} for a value that is not one of the choices. */
export function routingSettingsOf({ routing, catchAll, streamEventTypes }: RoutingParameters): RoutingSettings {
  if (typeof routing !== 'string' || !MODES.includes(routing)) throw new RoutingParameterError('routing', routing, MODES);
  const catchAllText = String(catchAll);
  if (!(BOOLEANS as readonly string[]).includes(catchAllText)) throw new RoutingParameterError('catchAll', catchAll, BOOLEANS);
  return {
    mode: routing as RoutingMode,
    catchAll: catchAllText === 'true',
    streamEventTypes: String(streamEventTypes ?? '')
      .split(',')
      .map((type) => type.trim())
      .filter(Boolean),
  };
}
