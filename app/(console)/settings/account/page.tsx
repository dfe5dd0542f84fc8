import type { Metadata } from 'next';
import { CreateOrganizationForm } from '@/components/account/create-organization-form';
import { FailureNoticesForm } from '@/components/account/failure-notices-form';
import { PasswordForm } from '@/components/account/password-form';
import { SignOutEverywhere } from '@/components/account/sign-out-everywhere';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { failureNoticesOn } from '@/server/auth/failure-notices-setting';
import { requireSession } from '@/server/auth/session';
import { membersMayCreateOrganizations } from '@/server/members/organizations';
import { createOrganizationAction } from '../../org-actions';
import { changePasswordAction, failureNoticesAction, signOutEverywhereAction } from './actions';

export const metadata: Metadata = { title: 'Your account' };

export default async function AccountPage() {
  const { user } = await requireSession();
  return (
    <>
      <PageHeader title="Your account" description={`Signed in as ${user.email}.`} />
      <div className="flex flex-col gap-6">
        <Card>
          <CardHeader
            title="Change password"
            description="Every other browser signed in to this account is signed out."
          />
          <CardBody>
            <PasswordForm action={changePasswordAction} />
          </CardBody>
        </Card>
        <Card id="failure-notices">
          <CardHeader
            title="Failure notices"
            description="Jobs you created, or that list you, can mail you when one of their runs fails."
          />
          <CardBody>
            <FailureNoticesForm on={await failureNoticesOn(user.id)} action={failureNoticesAction} />
          </CardBody>
        </Card>
        <Card>
          <CardHeader
            title="Sessions"
            description="Signed in somewhere you no longer trust? End every session of this account, this one too."
          />
          <CardBody>
            <SignOutEverywhere action={signOutEverywhereAction} />
          </CardBody>
        </Card>
        <Card id="new-organization">
          {membersMayCreateOrganizations() ? (
            <>
              <CardHeader
                title="Create an organisation"
                description="You become its owner, and the console switches to it. Invite others from its Members page."
              />
              <CardBody>
                <CreateOrganizationForm action={createOrganizationAction} />
              </CardBody>
            </>
          ) : (
            <CardHeader
              title="Organisations"
              description="On this server the operator creates organisations. To get one, ask them; to join one, ask its admins for an invitation."
            />
          )}
        </Card>
      </div>
    </>
  );
}
