import { kiloFamily } from '../vscodeTaskLogs/family';
import { clineFamilySource } from '../vscodeTaskLogs/source';
import { kiloDiscovery } from './discovery';

/**
 * Kilo Code's VS Code extension (kilocode.kilo-code, the Roo Code fork). Kilo CLI and the extension versions built on
 * it keep their sessions in SQLite (`~/.local/share/kilo/kilo.db`), read by the OpenCode source, not here.
 */
export const kiloSource = clineFamilySource(kiloFamily, kiloDiscovery, '#d4b106');
