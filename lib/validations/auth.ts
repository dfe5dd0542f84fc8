import { z } from 'zod';

/** The sign-in form's input, checked by the form (zodResolver) and again by the credentials provider. */
export const signInSchema = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, 'Enter your email address')
    .max(320)
    .email('Enter a valid email address'),
  password: z.string().min(1, 'Enter your password').max(1024),
});

export type SignInInput = z.infer<typeof signInSchema>;
