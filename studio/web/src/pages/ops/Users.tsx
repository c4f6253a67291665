// Local users and their roles (user.write): add one, change a role,
// disable or enable (behind a confirmation).
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { doc, graphql } from '../../api/doc';
import type { Role } from '../../gql/graphql';
import { useI18n } from '../../i18n/i18n';
import { useConfirm } from '../../ui/Confirm';
import { Done, Empty, ErrorNote } from '../../ui/Notes';

const UsersDoc = doc(graphql(`query Users { users { id email role disabled version lastLoginAt createdAt } }`));
const CreateUserDoc = doc(graphql(`mutation CreateUserStudio($input: CreateUserInput!) { createUser(input: $input) { id } }`));
const UpdateUserDoc = doc(graphql(`mutation UpdateUserStudio($id: ID!, $input: UpdateUserInput!, $v: Int!) { updateUser(id: $id, input: $input, expectedVersion: $v) { id role disabled version } }`));
const roles: Role[] = ['ADMIN', 'PUBLISHER', 'EDITOR', 'VIEWER'];

export function Users() {
  const { t, date } = useI18n();
  const [{ data, error }, refetch] = useQuery({ query: UsersDoc });
  const [cRes, create] = useMutation(CreateUserDoc);
  const [uRes, update] = useMutation(UpdateUserDoc);
  const [ask, dialog] = useConfirm();
  const [done, setDone] = useState('');
  const [form, setForm] = useState({ email: '', password: '', role: 'EDITOR' as Role });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <div className="stack">
      <ErrorNote error={error ?? cRes.error ?? uRes.error} />
      <Done>{done}</Done>
      {data && !data.users.length && <Empty>{t('ops.noUsers')}</Empty>}
      {data && data.users.length > 0 && (
        <table><thead><tr><th>{t('signin.email')}</th><th>{t('ops.role')}</th><th>{t('ops.lastLogin')}</th><th>{t('ops.state')}</th></tr></thead>
          <tbody>{data.users.map((u) => (
            <tr key={u.id} data-user={u.email}><td>{u.email}</td>
              <td><select aria-label={t('ops.roleOf', { email: u.email })} value={u.role} onChange={async (e) => { const r = await update({ id: u.id, input: { role: e.target.value as Role }, v: u.version }); if (!r.error) { setDone(t('ops.saved')); reload(); } }}>
                {roles.map((r) => <option key={r}>{r}</option>)}</select></td>
              <td>{date(u.lastLoginAt)}</td>
              <td><button type="button" className={u.disabled ? '' : 'danger'} onClick={async () => {
                if (!u.disabled && !(await ask(t('ops.disableConfirm', { email: u.email }), t('ops.disable')))) return;
                const r = await update({ id: u.id, input: { disabled: !u.disabled }, v: u.version }); if (!r.error) { setDone(t('ops.saved')); reload(); }
              }}>{u.disabled ? t('ops.enable') : t('ops.disable')}</button></td></tr>
          ))}</tbody></table>
      )}
      <form className="card row" onSubmit={async (e) => { e.preventDefault(); const r = await create({ input: form }); if (!r.error) { setDone(t('ops.userAdded', { email: form.email })); setForm({ ...form, email: '', password: '' }); reload(); } }}>
        <label>{t('signin.email')}<input type="email" required value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} /></label>
        <label>{t('signin.password')}<input type="password" required minLength={10} autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} /></label>
        <label>{t('ops.role')}<select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>{roles.map((r) => <option key={r}>{r}</option>)}</select></label>
        <button type="submit">{t('ops.addUser')}</button>
      </form>
      {dialog}
    </div>
  );
}
