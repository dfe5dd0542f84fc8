import { z } from 'zod';

// Shared by the Members forms (react-hook-form + zodResolver), the invitation page and server/members.

export const ROLES = ['owner', 'admin', 'editor', 'viewer'] as const;
export type RoleName = (typeof ROLES)[number];

export const ROLE_DESCRIPTIONS: Record<RoleName, string> = {
  owner: 'Everything, including making other owners',
  admin: 'Manages members and every API key',
  editor: 'Creates API keys and manages their own',
  viewer: 'Sees keys (masked), jobs and runs',
};

const email = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'Enter an email address')
  .max(320)
  .email('Enter a valid email address');

export const inviteMemberSchema = z.object({
  email,
  role: z.enum(ROLES, 'Choose a role'),
});

export type InviteMemberInput = z.input<typeof inviteMemberSchema>;

export const changeRoleSchema = z.object({
  userId: z.uuid('Not a member'),
  role: z.enum(ROLES, 'Choose a role'),
});

export type ChangeRoleInput = z.input<typeof changeRoleSchema>;

/** A new account made from an invitation: its email is the invitation's. */
export const newAccountSchema = z
  .object({
    name: z.string().trim().max(100, '100 characters at most').default(''),
    password: z.string().min(12, 'At least 12 characters').max(1024, '1024 characters at most'),
    confirmPassword: z.string().max(1024),
  })
  .refine((v) => v.password === v.confirmPassword, {
    path: ['confirmPassword'],
    message: 'The two passwords differ',
  });

export type NewAccountInput = z.input<typeof newAccountSchema>;

export const createOrganizationSchema = z.object({
  name: z.string().trim().min(1, 'Enter a name').max(100, '100 characters at most'),
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .regex(
      /^[a-z0-9][a-z0-9-]{1,39}$/,
      '2-40 lower-case letters, digits and -, starting with a letter or digit',
    ),
});

export type CreateOrganizationInput = z.input<typeof createOrganizationSchema>;
