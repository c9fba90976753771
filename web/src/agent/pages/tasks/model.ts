/**
 * S1.10 department tasks as the inbox shows them: the record's data
 * (src/core/workbench/tasks.ts DepartmentTask) and the choices of its forms,
 * checked against the engine's types so the two cannot drift apart.
 */
import type {
  Department,
  DepartmentAnswer,
  DepartmentTask,
  DepartmentTaskStatus,
  ShoeProblem,
} from '../../../../../src/core/workbench/tasks.ts';
import type { SideRecord } from './records.ts';

export type { Department, DepartmentAnswer, DepartmentTask, DepartmentTaskStatus, ShoeProblem };

export type TaskRecord = SideRecord<DepartmentTask>;

/** S1.10: 设计部和货品部门 verify the shoe against the page photos. */
export const departments = ['design', 'merchandise'] as const satisfies readonly Department[];
/** S1.10: heel / upper pattern / toe differ from the page photos, or the wrong item was sent. */
export const shoeProblems = ['heel', 'upper_pattern', 'toe', 'wrong_item', 'other'] as const satisfies readonly ShoeProblem[];
export const departmentAnswers = ['page_fixed', 'no_difference'] as const satisfies readonly DepartmentAnswer[];
export const taskStatuses = ['open', 'answered', 'cancelled'] as const satisfies readonly DepartmentTaskStatus[];

/** Who takes which action (departmentTaskActionRoles). */
export const answerRoles: readonly string[] = ['design', 'merchandise'];
export const cancelRoles: readonly string[] = ['agent', 'supervisor'];
/** Who opens one (permission workbench.refund.work). */
export const createRoles: readonly string[] = ['agent', 'supervisor'];

/** The engine's bounds (validateDepartmentTask, applyDepartmentTaskAction). */
export const limits = {
  orderNo: 64,
  descriptionMin: 2,
  description: 500,
  noteMin: 2,
  note: 500,
  reasonMin: 2,
  reason: 200,
  photos: 9,
} as const;

/** A design or merchandise user sees the tasks sent to their department; a supervisor sees them all. */
export function isForRole(task: DepartmentTask, role: string): boolean {
  return !(departments as readonly string[]).includes(role) || task.departments.includes(role as Department);
}
