import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { User } from './entities/user.entity';

export interface UserPage {
  items: User[];
  total: number;
  page: number;
  limit: number;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The administrators' listing of accounts: reads only (UserRepository does every write). */
@Injectable()
export class UsersDirectory {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  async list(page: number, limit: number, search?: string): Promise<UserPage> {
    const query = this.users.createQueryBuilder('user').orderBy('user.created_at', 'DESC').addOrderBy('user.id');
    const term = search?.trim();
    if (term) {
      query.where(
        "(user.email ILIKE :term ESCAPE '\\' OR user.first_name ILIKE :term ESCAPE '\\' OR user.last_name ILIKE :term ESCAPE '\\')",
        { term: `%${escapeLike(term)}%` },
      );
    }
    const [items, total] = await query
      .skip((page - 1) * limit)
      .take(limit)
      .getManyAndCount();
    return { items, total, page, limit };
  }
}
