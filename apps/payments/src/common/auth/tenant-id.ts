// The rule lives in config/, which reads tenant ids in the merchants file and may not import common/.
export { tenantIdProblem } from '../../config/tenant-id';
