'use client';

import dagre from '@dagrejs/dagre';
import { Handle, Position, ReactFlow, type Edge, type Node, type NodeProps } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import Link from 'next/link';
import { useMemo, useState, useTransition } from 'react';
import { toast } from 'sonner';
import type { PipelineStepStatus, PipelineStepView } from '@/lib/validations/pipeline';
import { Badge, RunStatusBadge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';

export type RestartResult = { ok: true } | { ok: false; message: string };

interface Props {
  steps: PipelineStepView[];
  runId: string;
  canManage: boolean;
  restartAction: (runId: string, stepId: string) => Promise<RestartResult>;
}

const NODE_WIDTH = 200;
const NODE_HEIGHT = 92;

/** A pipeline run's steps: a graph on wider screens (dagre's layout, left to right), a list on a phone. */
export function PipelineSteps({ steps, runId, canManage, restartAction }: Props) {
  const [pending, startTransition] = useTransition();
  const [busyStep, setBusyStep] = useState<string | null>(null);
  const mayRestart = (step: PipelineStepView) =>
    canManage &&
    ['failed', 'cancelled'].includes(step.status) &&
    !descendants(steps, step.id).some((s) => s.status === 'queued' || s.status === 'running');
  const restart = (stepId: string) => {
    setBusyStep(stepId);
    startTransition(async () => {
      const result = await restartAction(runId, stepId);
      setBusyStep(null);
      if (result.ok) toast.success(`Step ${stepId} started again`);
      else toast.error(result.message);
    });
  };
  const actions = { mayRestart, restart, pending, busyStep };
  return (
    <Card>
      <CardHeader
        title="Steps"
        description="Each step runs its job once its parents are done; a failed step fails the pipeline once the others finish."
      />
      <CardBody>
        <div className="hidden sm:block" data-testid="pipeline-graph">
          <Graph steps={steps} actions={actions} />
        </div>
        <ol className="flex flex-col gap-3 sm:hidden" data-testid="pipeline-list" aria-label="Steps">
          {steps.map((step) => (
            <li key={step.id} className="rounded-lg border border-border p-3" data-step={step.id}>
              <StepBody step={step} actions={actions} />
            </li>
          ))}
        </ol>
      </CardBody>
    </Card>
  );
}

interface Actions {
  mayRestart: (step: PipelineStepView) => boolean;
  restart: (stepId: string) => void;
  pending: boolean;
  busyStep: string | null;
}

function StepStatus({ status }: { status: PipelineStepStatus }) {
  if (status === 'pending') return <Badge data-status="pending">Not started</Badge>;
  if (status === 'skipped')
    return (
      <Badge tone="neutral" data-status="skipped">
        Skipped
      </Badge>
    );
  return <RunStatusBadge status={status} />;
}

/** One step: its id, job, status, a link to its run's log and "Start again" when it failed. */
function StepBody({ step, actions }: { step: PipelineStepView; actions: Actions }) {
  return (
    <div className="flex min-w-0 flex-col gap-1.5 text-sm" data-step-status={step.status}>
      <div className="flex items-center justify-between gap-2">
        <span className="truncate font-medium text-fg">{step.id}</span>
        <StepStatus status={step.status} />
      </div>
      <span className="truncate text-xs text-fg-muted">
        {step.jobName ?? 'deleted job'}
        {step.parents.length ? ` · after ${step.parents.join(', ')}` : ''}
        {step.condition === 'finished' && step.parents.length ? ' (whatever the outcome)' : ''}
      </span>
      <div className="flex items-center gap-3">
        {step.runId ? (
          <Link
            href={`/runs/${step.runId}`}
            className="text-xs font-medium text-accent underline-offset-2 hover:underline"
            aria-label={`Log of step ${step.id}`}
          >
            Log{step.attempt && step.attempt > 1 ? ` (attempt ${step.attempt})` : ''}
          </Link>
        ) : step.error && step.status !== 'skipped' ? (
          <span className="truncate text-xs text-fg-muted">{step.error}</span>
        ) : null}
        {actions.mayRestart(step) ? (
          <Button
            size="sm"
            variant="secondary"
            className="nodrag"
            disabled={actions.pending}
            onClick={() => actions.restart(step.id)}
          >
            {actions.busyStep === step.id ? 'Starting…' : `Start ${step.id} again`}
          </Button>
        ) : null}
      </div>
    </div>
  );
}

type StepNode = Node<{ step: PipelineStepView; actions: Actions }, 'step'>;

function StepNodeView({ data }: NodeProps<StepNode>) {
  return (
    <div
      // React Flow turns pointer events off on nodes that cannot be selected or dragged: the step's link
      // and button need them.
      className="nodrag nopan rounded-lg border border-border bg-surface px-3 py-2 shadow-sm"
      style={{ width: NODE_WIDTH, minHeight: NODE_HEIGHT - 8, pointerEvents: 'all' }}
      data-step={data.step.id}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <StepBody step={data.step} actions={data.actions} />
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
}

const nodeTypes = { step: StepNodeView };

function Graph({ steps, actions }: { steps: PipelineStepView[]; actions: Actions }) {
  const shape = steps.map((s) => `${s.id}<${s.parents.join(',')}`).join(';');
  // The layout depends on the steps and their parents only, not on their statuses.
  const positions = useMemo(() => layout(steps), [shape]); // eslint-disable-line react-hooks/exhaustive-deps
  const nodes: StepNode[] = steps.map((step) => ({
    id: step.id,
    type: 'step',
    position: positions.get(step.id) ?? { x: 0, y: 0 },
    data: { step, actions },
    draggable: false,
    selectable: false,
  }));
  const edges: Edge[] = steps.flatMap((step) =>
    step.parents.map((parent) => ({
      id: `${parent}->${step.id}`,
      source: parent,
      target: step.id,
      animated: step.status === 'queued' || step.status === 'running',
      style: step.condition === 'finished' ? { strokeDasharray: '6 4' } : undefined,
    })),
  );
  const height = Math.min(640, Math.max(200, graphHeight(positions) + 60));
  return (
    <div style={{ height }} className="w-full">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        fitView
        fitViewOptions={{ padding: 0.15, maxZoom: 1 }}
        nodesConnectable={false}
        zoomOnScroll={false}
        preventScrolling={false}
        colorMode="system"
        proOptions={{ hideAttribution: true }}
        aria-label="Pipeline graph"
      />
    </div>
  );
}

function layout(steps: PipelineStepView[]): Map<string, { x: number; y: number }> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 56 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const step of steps) g.setNode(step.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const step of steps) for (const parent of step.parents) g.setEdge(parent, step.id);
  dagre.layout(g);
  return new Map(
    steps.map((step) => {
      const { x, y } = g.node(step.id);
      return [step.id, { x: x - NODE_WIDTH / 2, y: y - NODE_HEIGHT / 2 }];
    }),
  );
}

function graphHeight(positions: Map<string, { x: number; y: number }>): number {
  const ys = [...positions.values()].map((p) => p.y);
  return ys.length ? Math.max(...ys) - Math.min(...ys) + NODE_HEIGHT : 0;
}

function descendants(steps: PipelineStepView[], id: string): PipelineStepView[] {
  const found = new Set([id]);
  for (let grew = true; grew;) {
    grew = false;
    for (const s of steps)
      if (!found.has(s.id) && s.parents.some((p) => found.has(p))) {
        found.add(s.id);
        grew = true;
      }
  }
  return steps.filter((s) => found.has(s.id));
}
