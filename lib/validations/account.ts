import { z } from 'zod';

// Shared by the account forms (react-hook-form + zodResolver) and server/auth.

export const newPasswordSchema = z
  .string()
  .min(12, 'At least 12 characters')
  .max(1024, '1024 characters at most');

export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, 'Enter your current password').max(1024),
    newPassword: newPasswordSchema,
    confirmPassword: z.string().max(1024),
  })
  .refine((v) => v.newPassword === v.confirmPassword, {
    path: ['confirmPassword'],
    message: 'The two new passwords differ',
  });

export type ChangePasswordInput = z.input<typeof changePasswordSchema>;

export const forgotPasswordSchema = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, 'Enter your email address')
    .max(320)
    .email('Enter a valid email address'),
});

export type ForgotPasswordInput = z.input<typeof forgotPasswordSchema>;

export const resetPasswordSchema = z
  .object({ password: newPasswordSchema, confirmPassword: z.string().max(1024) })
  .refine((v) => v.password === v.confirmPassword, {
    path: ['confirmPassword'],
    message: 'The two passwords differ',
  });

export type ResetPasswordInput = z.input<typeof resetPasswordSchema>;
