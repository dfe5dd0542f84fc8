import { z } from 'zod';

// Shared by the Members forms (react-hook-form + zodResolver) and server/members.

export const ROLES = ['owner', 'admin', 'editor', 'viewer'] as const;
export type RoleName = (typeof ROLES)[number];

export const ROLE_DESCRIPTIONS: Record<RoleName, string> = {
  owner: 'Everything, including making other owners',
  admin: 'Manages members and every API key',
  editor: 'Creates API keys and manages their own',
  viewer: 'Sees keys (masked), jobs and runs',
};

export const addMemberSchema = z.object({
  email: z.string().trim().toLowerCase().min(1, 'Enter an email address').max(320).email('Enter a valid email address'),
  name: z.string().trim().max(100, '100 characters at most').default(''),
  role: z.enum(ROLES, 'Choose a role'),
  password: z.string().min(12, 'At least 12 characters').max(1024, '1024 characters at most'),
});

export type AddMemberInput = z.input<typeof addMemberSchema>;

export const changeRoleSchema = z.object({
  userId: z.uuid('Not a member'),
  role: z.enum(ROLES, 'Choose a role'),
});

export type ChangeRoleInput = z.input<typeof changeRoleSchema>;
